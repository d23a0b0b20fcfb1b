using AkkaHibernation.Actors.Behaviours;
using AkkaHibernation.Transport.Routing;
using AkkaHibernation.Transport.StaticFiles;

namespace AkkaHibernation.Server.Node;

/// <summary>The room types a node runs and the static sites it serves beside them.</summary>
/// <param name="Types">Room types; the default type answers the routes of the seed (the reference Worker and Durable Object this server ports).</param>
/// <param name="Sites">Static sites, e.g. a room's browser page.</param>
public sealed record HostedRooms(RoomTypes Types, IReadOnlyList<StaticSite> Sites)
{
    /// <summary>Only the seed's room, and no site.</summary>
    public static HostedRooms Seed { get; } = new(RoomTypes.Seed, []);

    /// <summary>The transport's routes for these rooms and sites.</summary>
    public RouteTable Routes => new(Types.Names.ToHashSet(), Sites);
}

using AkkaHibernation.Transport.StaticFiles;

namespace AkkaHibernation.Transport.Routing;

/// <summary>What a node serves besides the seed's routes: room types at <c>/{type}/{room}/websocket</c>, and static sites.</summary>
/// <param name="RoomTypes">Registered room type names.</param>
/// <param name="Sites">Static sites, each under its own prefix.</param>
public sealed record RouteTable(IReadOnlySet<string> RoomTypes, IReadOnlyList<StaticSite> Sites)
{
    /// <summary>Only the seed's routes.</summary>
    public static RouteTable SeedOnly { get; } = new(new HashSet<string>(), []);
}

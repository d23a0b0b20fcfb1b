using AkkaHibernation.Actors.Rooms;
using AkkaHibernation.Ids;
using AkkaHibernation.Transport.StaticFiles;

namespace AkkaHibernation.Transport.Routing;

/// <summary>What a node serves besides the routes of the seed (the reference Worker and Durable Object this server ports): room types at <c>/parties/{type}/{room}</c>, and static sites.</summary>
/// <param name="RoomTypes">Registered room type names (the default type, <c>main</c>, is always served).</param>
/// <param name="Sites">Static sites, each under its own prefix.</param>
public sealed record RouteTable(IReadOnlySet<string> RoomTypes, IReadOnlyList<StaticSite> Sites)
{
    /// <summary>Only the seed's routes.</summary>
    public static RouteTable SeedOnly { get; } = new(new HashSet<string>(), []);

    /// <summary>Every type a party route may name, the default type first: for error messages.</summary>
    public IEnumerable<string> TypeNames => RoomTypes.Order(StringComparer.Ordinal).Prepend(RoomTypeName.Default);
}

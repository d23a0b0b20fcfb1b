using AkkaHibernation.Ids;

namespace AkkaHibernation.Tests.Support;

/// <summary>Short ways for specs to name ids.</summary>
public static class TestIds
{
    /// <summary>The connection id <paramref name="value"/>.</summary>
    public static ConnectionId Id(string value) => new(value);

    /// <summary>The room with key <paramref name="key"/> (a name, or <c>type:name</c>).</summary>
    public static RoomKey Room(string key) => RoomKey.Parse(key);
}

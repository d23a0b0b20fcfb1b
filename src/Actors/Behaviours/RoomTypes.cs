using System.Collections.Immutable;
using AkkaHibernation.Actors.Rooms;
using AkkaHibernation.Ids;

namespace AkkaHibernation.Actors.Behaviours;

/// <summary>
/// The room types a node serves, the equivalent of a Worker's Durable Object bindings. The default type answers the
/// seed's route (every URL ending in <c>/websocket</c>: room <c>foo</c>), <c>/rooms/{room}</c> and
/// <c>/parties/main/{room}</c>; each registered type answers <c>/parties/{type}/{room}</c>. Immutable: <see cref="With"/>
/// returns a new registry.
/// </summary>
public sealed class RoomTypes
{
    private readonly RoomBehaviourFactory _default;
    private readonly ImmutableSortedDictionary<string, RoomBehaviourFactory> _registered;

    private RoomTypes(RoomBehaviourFactory defaultType, ImmutableSortedDictionary<string, RoomBehaviourFactory> registered)
    {
        _default = defaultType;
        _registered = registered;
    }

    /// <summary>Only the seed's room (<see cref="WebSocketHibernationServer"/>, the user's reference Durable Object), as the default type.</summary>
    public static RoomTypes Seed { get; } = WithDefault(context => new WebSocketHibernationServer(context));

    /// <summary>A registry whose default type (the seed's routes) runs <paramref name="defaultType"/>.</summary>
    public static RoomTypes WithDefault(RoomBehaviourFactory defaultType) =>
        new(defaultType, ImmutableSortedDictionary.Create<string, RoomBehaviourFactory>(StringComparer.Ordinal));

    /// <summary>The registered type names (the default type has none).</summary>
    public IEnumerable<string> Names => _registered.Keys;

    /// <summary>This registry plus type <paramref name="name"/>, served at <c>/parties/{name}/{room}</c>.</summary>
    /// <exception cref="ArgumentException">The name is invalid, reserved for another route, or already registered.</exception>
    public RoomTypes With(string name, RoomBehaviourFactory factory)
    {
        if (Unregistrable(name) is { } invalid)
            throw new ArgumentException(invalid, nameof(name));
        if (_registered.ContainsKey(name))
            throw new ArgumentException($"Room type '{name}' is already registered", nameof(name));
        return new RoomTypes(_default, _registered.Add(name, factory));
    }

    /// <summary>Null when <paramref name="name"/> may name a registered type, otherwise why not (invalid, or the default type's name).</summary>
    public static string? Unregistrable(string name) =>
        RoomTypeName.Validate(name)
        ?? (name == RoomTypeName.Default ? $"Room type '{name}' is the default type's name in /parties/{name}/{{room}}" : null);

    /// <summary>True when <paramref name="name"/> is a registered type.</summary>
    public bool Contains(string name) => _registered.ContainsKey(name);

    /// <summary>
    /// The behaviour factory for the room with <paramref name="key"/>. A key whose type is no longer registered (its
    /// journal outlived its code) gets a room that keeps its state and refuses connections with 404.
    /// </summary>
    public RoomBehaviourFactory FactoryFor(RoomKey key)
    {
        if (key.Type is not { } type)
            return _default;
        return _registered.TryGetValue(type, out var factory) ? factory : _ => new UnregisteredRoom(type);
    }
}

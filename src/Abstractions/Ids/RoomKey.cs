using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace AkkaHibernation.Ids;

/// <summary>
/// Which room: its type and its name. Written as the room's plain name for a room of the default type (the rooms of the
/// seed, the user's reference Worker, whose journals predate room types), or <c>type:name</c> for a room of a
/// registered type. Every valid key is a safe actor name and persistence id, and both its parts are safe URL segments.
/// </summary>
[JsonConverter(typeof(StringIdJsonConverter<RoomKey>))]
public readonly record struct RoomKey : IStringId<RoomKey>
{
    /// <summary>Separates a room type from the room's name in a key; never part of a valid name.</summary>
    public const char TypeSeparator = ':';

    private readonly string? _value;
    private readonly string? _name;

    /// <summary>Room <paramref name="name"/> of type <paramref name="type"/> (null: the default type).</summary>
    /// <exception cref="FormatException">The type or the name is not valid; the message says why.</exception>
    public RoomKey(string? type, string name)
    {
        if (Validate(type, name) is { } error)
            throw new FormatException(error);
        Type = type;
        _name = name;
        _value = type is null ? name : $"{type}{TypeSeparator}{name}";
    }

    /// <summary>The seed's one room, <c>foo</c>, of the default type.</summary>
    public static RoomKey Default { get; } = new(null, RoomName.Default);

    /// <summary>The room's type, or null for the default type.</summary>
    public string? Type { get; }

    /// <summary>The room's name within its type (what a room's behaviour sees as its name).</summary>
    public string Name => _name ?? throw Empty();

    /// <inheritdoc />
    public string Value => _value ?? throw Empty();

    /// <summary>What every room's persistence id starts with; the key follows.</summary>
    public const string PersistenceIdPrefix = "room-";

    /// <summary>The persistence id of the room's journal.</summary>
    public string PersistenceId => PersistenceIdPrefix + Value;

    /// <inheritdoc />
    public static RoomKey Parse(string value)
    {
        var (type, name) = Split(value);
        return new RoomKey(type, name);
    }

    /// <summary>Parses <paramref name="value"/>, or returns false with the reason in <paramref name="error"/>.</summary>
    public static bool TryParse(string value, out RoomKey key, [NotNullWhen(false)] out string? error)
    {
        var (type, name) = Split(value);
        return TryCreate(type, name, out key, out error);
    }

    /// <summary>Room <paramref name="name"/> of type <paramref name="type"/>, or false with the reason in <paramref name="error"/>.</summary>
    public static bool TryCreate(string? type, string name, out RoomKey key, [NotNullWhen(false)] out string? error)
    {
        error = Validate(type, name);
        key = error is null ? new RoomKey(type, name) : default;
        return error is null;
    }

    private static (string? Type, string Name) Split(string value)
    {
        var separator = value.IndexOf(TypeSeparator);
        return separator < 0 ? (null, value) : (value[..separator], value[(separator + 1)..]);
    }

    /// <summary>Null when <paramref name="type"/> (null: the default type) and <paramref name="name"/> make a valid key, otherwise why not.</summary>
    public static string? Validate(string? type, string name) =>
        (type is null ? null : RoomTypeName.Validate(type)) ?? RoomName.Validate(name);

    // The key string holds the type and the name, so it alone decides equality.
    /// <inheritdoc />
    public bool Equals(RoomKey other) => string.Equals(_value, other._value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode() => _value is null ? 0 : StringComparer.Ordinal.GetHashCode(_value);

    /// <inheritdoc />
    public override string ToString() => Value;

    private static InvalidOperationException Empty() => new("An empty RoomKey was used (default of the struct)");
}

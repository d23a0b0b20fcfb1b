using System.Text.RegularExpressions;

namespace AkkaHibernation.Actors.Rooms;

/// <summary>
/// Room names and room keys. A room is addressed by its <i>key</i>: its plain name for a room of the default type
/// (the seed's rooms, whose journals predate room types), or <c>type:name</c> for a room of a registered type.
/// Every valid key is a safe actor name and persistence id; every valid name is a safe URL segment.
/// </summary>
public static partial class RoomName
{
    /// <summary>Longest accepted room name, in characters.</summary>
    public const int MaxLength = 64;

    /// <summary>The room the seed's <c>/websocket</c> route uses (the seed: the user's reference Worker, which names its one Durable Object <c>foo</c>).</summary>
    public const string Default = "foo";

    /// <summary>Separates a room type from the room's name in a key; never part of a valid name.</summary>
    public const char TypeSeparator = ':';

    /// <summary>Returns null when <paramref name="name"/> is valid, otherwise a sentence saying why it is not.</summary>
    public static string? Validate(string name) =>
        ValidateSegment("Room name", name, MaxLength, Allowed(), "letters A-Z and a-z, digits 0-9, '-', '_' and '.'");

    /// <summary>The checks every name that becomes a URL segment shares: not empty, not too long, only allowed characters.</summary>
    internal static string? ValidateSegment(string what, string value, int maxLength, Regex allowed, string allowedDescription)
    {
        if (value.Length == 0)
            return $"{what} must not be empty";
        if (value.Length > maxLength)
            return $"{what} must be at most {maxLength} characters, got {value.Length}";
        if (!allowed.IsMatch(value))
            return $"{what} may contain only {allowedDescription}";
        return null;
    }

    /// <summary>Returns null when <paramref name="key"/> is a valid name or <c>type:name</c>, otherwise why not.</summary>
    public static string? ValidateKey(string key)
    {
        var (type, name) = ParseKey(key);
        if (type is not null && RoomTypeName.Validate(type) is { } invalidType)
            return invalidType;
        return Validate(name);
    }

    /// <summary>The key of room <paramref name="name"/> of type <paramref name="type"/> (null: the default type).</summary>
    public static string Key(string? type, string name) => type is null ? name : $"{type}{TypeSeparator}{name}";

    /// <summary>Splits a key into its type (null for the default type) and name.</summary>
    public static (string? Type, string Name) ParseKey(string key)
    {
        var separator = key.IndexOf(TypeSeparator);
        return separator < 0 ? (null, key) : (key[..separator], key[(separator + 1)..]);
    }

    /// <summary>The persistence id of a room's journal.</summary>
    public static string PersistenceId(string key) => "room-" + key;

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex Allowed();
}

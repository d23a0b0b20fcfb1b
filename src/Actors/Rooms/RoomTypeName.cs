using System.Text.RegularExpressions;

namespace AkkaHibernation.Actors.Rooms;

/// <summary>Validates the name of a room type, which is also the first segment of its route (<c>/{type}/{room}/websocket</c>).</summary>
public static partial class RoomTypeName
{
    /// <summary>Longest accepted type name, in characters.</summary>
    public const int MaxLength = 32;

    /// <summary>First path segments the server already routes: the seed's routes and the static demo.</summary>
    public static IReadOnlySet<string> Reserved { get; } = new HashSet<string>(StringComparer.Ordinal) { "rooms", "websocket", "demo" };

    /// <summary>Returns null when <paramref name="type"/> is a valid type name, otherwise a sentence saying why it is not.</summary>
    public static string? Validate(string type) =>
        RoomName.ValidateSegment("Room type", type, MaxLength, Allowed(), "lower-case letters a-z, digits 0-9 and '-', and must start with a letter");

    [GeneratedRegex("^[a-z][a-z0-9-]*$")]
    private static partial Regex Allowed();
}

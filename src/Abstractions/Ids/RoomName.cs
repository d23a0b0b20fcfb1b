using System.Text.RegularExpressions;

namespace AkkaHibernation.Ids;

/// <summary>
/// Validates a room's name within its type, which is also a segment of its route. A room is addressed by its
/// <see cref="RoomKey"/>: its type and this name.
/// </summary>
public static partial class RoomName
{
    /// <summary>Longest accepted room name, in characters.</summary>
    public const int MaxLength = 64;

    /// <summary>The room the seed's <c>/websocket</c> route uses (the seed: the user's reference Worker, which names its one Durable Object <c>foo</c>).</summary>
    public const string Default = "foo";

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

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex Allowed();
}

using System.Text.RegularExpressions;

namespace AkkaHibernation.Ids;

/// <summary>Validates the name of a room type, which is also a segment of its route (<c>/parties/{type}/{room}</c>).</summary>
public static partial class RoomTypeName
{
    /// <summary>Longest accepted type name, in characters.</summary>
    public const int MaxLength = 32;

    /// <summary>
    /// The name of the default type in a party route: <c>/parties/main/{room}</c> is room <c>{room}</c> of the default
    /// type, the same room as <c>/rooms/{room}</c>. PartyKit's clients connect to party <c>main</c> unless told otherwise.
    /// </summary>
    public const string Default = "main";

    /// <summary>Returns null when <paramref name="type"/> is a valid type name, otherwise a sentence saying why it is not.</summary>
    public static string? Validate(string type) =>
        RoomName.ValidateSegment("Room type", type, MaxLength, Allowed(), "lower-case letters a-z, digits 0-9 and '-', and must start with a letter");

    [GeneratedRegex("^[a-z][a-z0-9-]*$")]
    private static partial Regex Allowed();
}

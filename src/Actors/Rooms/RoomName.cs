using System.Text.RegularExpressions;

namespace AkkaHibernation.Actors.Rooms;

/// <summary>Validates room names so that every name is a safe actor name, persistence id and URL segment.</summary>
public static partial class RoomName
{
    /// <summary>Longest accepted room name, in characters.</summary>
    public const int MaxLength = 64;

    /// <summary>The room the seed's <c>/websocket</c> route uses.</summary>
    public const string Default = "foo";

    /// <summary>Returns null when <paramref name="name"/> is valid, otherwise a sentence saying why it is not.</summary>
    public static string? Validate(string name)
    {
        if (name.Length == 0)
            return "Room name must not be empty";
        if (name.Length > MaxLength)
            return $"Room name must be at most {MaxLength} characters, got {name.Length}";
        if (!Allowed().IsMatch(name))
            return "Room name may contain only letters A-Z and a-z, digits 0-9, '-', '_' and '.'";
        return null;
    }

    /// <summary>The persistence id of a room's journal.</summary>
    public static string PersistenceId(string name) => "room-" + name;

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex Allowed();
}

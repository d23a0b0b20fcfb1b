using System.Text.Json.Serialization;

namespace AkkaHibernation.Ids;

/// <summary>
/// The transport's id of one client socket, unique for the socket's life and never reused. It names the socket's
/// <c>ConnectionActor</c> under its room, so it is 1 to <see cref="MaxLength"/> characters that are
/// safe in an actor path: letters, digits, <c>-</c> and <c>_</c>.
/// </summary>
[JsonConverter(typeof(StringIdJsonConverter<ConnectionId>))]
public readonly record struct ConnectionId : IStringId<ConnectionId>
{
    /// <summary>Longest accepted id (the transport's own are 32: a GUID without dashes).</summary>
    public const int MaxLength = 64;

    private readonly string? _value;

    /// <summary>Wraps <paramref name="value"/>; throws <see cref="FormatException"/> when it is not a valid id.</summary>
    public ConnectionId(string value)
    {
        if (Validate(value) is { } error)
            throw new FormatException(error);
        _value = value;
    }

    /// <inheritdoc />
    public string Value => _value ?? throw new InvalidOperationException("An empty ConnectionId was used (default of the struct)");

    /// <summary>A new id, for a socket the transport just accepted.</summary>
    public static ConnectionId New() => new(Guid.NewGuid().ToString("N"));

    /// <inheritdoc />
    public static ConnectionId Parse(string value) => new(value);

    /// <summary>Null when <paramref name="value"/> is a valid connection id, otherwise why not.</summary>
    public static string? Validate(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxLength)
            return $"A connection id must be 1 to {MaxLength} characters, got {value?.Length ?? 0}";
        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not '-' and not '_')
                return $"A connection id may contain only letters, digits, '-' and '_', got '{value}'";
        }
        return null;
    }

    /// <inheritdoc />
    public override string ToString() => Value;
}

using System.Text.Json.Serialization;

namespace AkkaHibernation.Ids;

/// <summary>
/// Cluster mode: where a socket lives, the serialized path (with uid) of the edge actor of the node that holds it, so a
/// room reaches the socket from whichever node it runs on, and an old session's address after a node restarts reaches
/// nothing rather than a stranger's socket. Resolving it to an actor is the cluster registry's work.
/// </summary>
[JsonConverter(typeof(StringIdJsonConverter<EdgeAddress>))]
public readonly record struct EdgeAddress : IStringId<EdgeAddress>
{
    private readonly string? _value;

    /// <summary>Wraps <paramref name="path"/>; throws <see cref="FormatException"/> when it is not an actor path with an address.</summary>
    public EdgeAddress(string path)
    {
        if (!path.StartsWith("akka", StringComparison.Ordinal) || !path.Contains("://", StringComparison.Ordinal) || !path.Contains('#'))
            throw new FormatException($"An edge address is an actor path with its address and uid (akka.tcp://system@host:port/user/edge#uid), got '{path}'");
        _value = path;
    }

    /// <inheritdoc />
    public string Value => _value ?? throw new InvalidOperationException("An empty EdgeAddress was used (default of the struct)");

    /// <inheritdoc />
    public static EdgeAddress Parse(string value) => new(value);

    /// <inheritdoc />
    public override string ToString() => Value;
}

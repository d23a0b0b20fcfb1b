using System.Text.Json.Serialization;

namespace AkkaHibernation.Transport.Takeover;

/// <summary>
/// The messages of a takeover, between the running process (old) and the one taking over (new), in the order they
/// travel: <see cref="Hello"/> (new); either <see cref="Refused"/>, or the sockets in batches and
/// <see cref="SocketsSent"/> (old); <see cref="Adopted"/> (new); <see cref="PrefixesReleased"/> (old);
/// <see cref="Ready"/> (new); <see cref="Commit"/> (old). The listen prefixes are released only once the sockets are
/// adopted, so that new connections are refused for one round trip and a bind. <see cref="Abort"/> may come from either
/// side until the commit, and nothing is lost by it: until then the new process reads no socket and runs no room.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(Hello), "hello")]
[JsonDerivedType(typeof(Refused), "refused")]
[JsonDerivedType(typeof(SocketBatch), "sockets")]
[JsonDerivedType(typeof(SocketsSent), "sockets-sent")]
[JsonDerivedType(typeof(Adopted), "adopted")]
[JsonDerivedType(typeof(PrefixesReleased), "prefixes-released")]
[JsonDerivedType(typeof(Ready), "ready")]
[JsonDerivedType(typeof(Commit), "commit")]
[JsonDerivedType(typeof(Abort), "abort")]
public abstract record TakeoverMessage
{
    /// <summary>New → old: take over from you. <paramref name="ProcessId"/> is the new process's, for the logs.</summary>
    public sealed record Hello(int ProcessId) : TakeoverMessage;

    /// <summary>Old → new: no takeover now, and why (nothing was changed).</summary>
    public sealed record Refused(string Reason) : TakeoverMessage;

    /// <summary>
    /// Old → new: every socket has been sent (<paramref name="Sockets"/> in all), the rooms are asleep and the journal
    /// is released.
    /// </summary>
    public sealed record SocketsSent(int Sockets) : TakeoverMessage;

    /// <summary>New → old: <paramref name="Sockets"/> sockets are registered and the journal is taken.</summary>
    public sealed record Adopted(int Sockets) : TakeoverMessage;

    /// <summary>Old → new: the listen prefixes (and the admin prefixes) were unbound at <paramref name="At"/>.</summary>
    public sealed record PrefixesReleased(DateTimeOffset At) : TakeoverMessage;

    /// <summary>New → old: the prefixes are bound; nothing is read or accepted until the commit.</summary>
    public sealed record Ready : TakeoverMessage;

    /// <summary>Old → new: the sockets are yours; the old process closes nothing and exits.</summary>
    public sealed record Commit : TakeoverMessage;

    /// <summary>Either side: the takeover is abandoned, and why; the old process goes on serving.</summary>
    public sealed record Abort(string Reason) : TakeoverMessage;
}

/// <summary>Old → new: the states of the sockets whose descriptors came with this message, in the same order.</summary>
internal sealed record SocketBatch(IReadOnlyList<ChannelHandover> Channels) : TakeoverMessage;

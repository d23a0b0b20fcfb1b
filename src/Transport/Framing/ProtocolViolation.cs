namespace AkkaHibernation.Transport.Framing;

/// <summary>The peer broke RFC 6455 (or a limit): the connection is closed with <see cref="Code"/> and <see cref="Reason"/>.</summary>
internal sealed class ProtocolViolation(int code, string reason) : Exception(reason)
{
    public int Code { get; } = code;

    public string Reason { get; } = reason;
}

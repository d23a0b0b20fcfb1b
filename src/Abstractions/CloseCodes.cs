using System.Text;

namespace AkkaHibernation;

/// <summary>RFC 6455 §7.4 close codes: which a server may send, and the ones with a fixed meaning here.</summary>
public static class CloseCodes
{
    /// <summary>Normal closure.</summary>
    public const int Normal = 1000;

    /// <summary>The server is going away (shutdown).</summary>
    public const int GoingAway = 1001;

    /// <summary>The peer broke the protocol.</summary>
    public const int ProtocolError = 1002;

    /// <summary>The peer closed without giving a status code (never sent on the wire).</summary>
    public const int NoStatus = 1005;

    /// <summary>The peer vanished without a close frame (never sent on the wire).</summary>
    public const int Abnormal = 1006;

    /// <summary>A text message was not valid UTF-8.</summary>
    public const int InvalidPayload = 1007;

    /// <summary>Policy violation, e.g. a client that does not read its frames.</summary>
    public const int PolicyViolation = 1008;

    /// <summary>A message exceeded the size limit.</summary>
    public const int MessageTooBig = 1009;

    /// <summary>The room's handler failed.</summary>
    public const int InternalError = 1011;

    /// <summary>The server cannot take more now; the client may reconnect later.</summary>
    public const int TryAgainLater = 1013;

    /// <summary>Longest close reason the protocol allows, in UTF-8 bytes.</summary>
    public const int MaxReasonBytes = 123;

    /// <summary>True for codes an endpoint may put in a close frame.</summary>
    public static bool IsSendable(int code) =>
        code is Normal or (>= 1001 and <= 1003) or (>= 1007 and <= 1014) or (>= 3000 and <= 4999);

    /// <summary>Null when code and reason may be sent, otherwise why not.</summary>
    public static string? Validate(int code, string reason)
    {
        if (!IsSendable(code))
            return $"Close code {code} may not be sent: use 1000, 1001-1003, 1007-1014 or 3000-4999";
        var bytes = Encoding.UTF8.GetByteCount(reason);
        return bytes > MaxReasonBytes
            ? $"Close reason is {bytes} UTF-8 bytes; at most {MaxReasonBytes} fit in a close frame"
            : null;
    }
}

using System.Buffers.Binary;
using AkkaHibernation.Actors.Rooms;

namespace AkkaHibernation.Transport.Framing;

/// <summary>The body of a close frame the peer sent (RFC 6455 §5.5.1): empty, or a status code and a UTF-8 reason.</summary>
internal static class ClosePayload
{
    /// <summary>
    /// The peer's code and reason, or null for a close without a status code (1005 to the room). Throws a
    /// <see cref="ProtocolViolation"/> for a body of one byte, a code no peer may send, or a reason that is not UTF-8.
    /// </summary>
    public static (int Code, string Reason)? Parse(ReadOnlySpan<byte> payload)
    {
        if (payload.Length == 0)
            return null;
        if (payload.Length == 1)
            throw new ProtocolViolation(CloseCodes.ProtocolError, "Close frame payload of 1 byte cannot hold a status code");
        var code = BinaryPrimitives.ReadUInt16BigEndian(payload);
        if (!CloseCodes.IsSendable(code))
            throw new ProtocolViolation(CloseCodes.ProtocolError, $"Close code {code} is not a valid code to receive");
        return (code, StrictUtf8.Decode(payload[2..], "Close reason is not valid UTF-8"));
    }
}

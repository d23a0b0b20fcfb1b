using System.Buffers.Binary;
using System.Text;

namespace AkkaHibernation.Transport.Framing;

/// <summary>Writes server frames (RFC 6455 §5.2): FIN set, never masked; RSV1 marks a compressed message (RFC 7692 §6).</summary>
internal static class FrameEncoder
{
    /// <summary>The longest header a server frame needs: 2 bytes plus a 64-bit length.</summary>
    public const int MaxHeaderLength = 10;

    /// <summary>Bytes a whole frame with <paramref name="payloadLength"/> bytes of payload takes.</summary>
    public static int FrameLength(int payloadLength) => HeaderLength(payloadLength) + payloadLength;

    /// <summary>Writes the frame into <paramref name="destination"/> and returns the bytes written.</summary>
    public static int Write(Span<byte> destination, Opcode opcode, ReadOnlySpan<byte> payload, bool compressed = false)
    {
        var header = WriteHeader(destination, opcode, payload.Length, compressed);
        payload.CopyTo(destination[header..]);
        return header + payload.Length;
    }

    /// <summary>The payload of a close frame: the code in network order, then the UTF-8 reason.</summary>
    public static byte[] ClosePayload(int code, string reason)
    {
        var payload = new byte[2 + Encoding.UTF8.GetByteCount(reason)];
        BinaryPrimitives.WriteUInt16BigEndian(payload, (ushort)code);
        Encoding.UTF8.GetBytes(reason, payload.AsSpan(2));
        return payload;
    }

    private static int HeaderLength(int payloadLength) => payloadLength switch
    {
        < 126 => 2,
        <= ushort.MaxValue => 4,
        _ => 10,
    };

    private static int WriteHeader(Span<byte> destination, Opcode opcode, int payloadLength, bool compressed)
    {
        destination[0] = (byte)(0x80 | (compressed ? 0x40 : 0) | (byte)opcode);
        switch (payloadLength)
        {
            case < 126:
                destination[1] = (byte)payloadLength;
                return 2;
            case <= ushort.MaxValue:
                destination[1] = 126;
                BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)payloadLength);
                return 4;
            default:
                destination[1] = 127;
                BinaryPrimitives.WriteUInt64BigEndian(destination[2..], (ulong)payloadLength);
                return 10;
        }
    }
}

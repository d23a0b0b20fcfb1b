using System.Buffers.Binary;
using AkkaHibernation.Actors.Rooms;

namespace AkkaHibernation.Transport.Framing;

/// <summary>
/// A client frame's header (RFC 6455 §5.2), validated as it is read. <see cref="Compressed"/> is RSV1, which
/// permessage-deflate (RFC 7692 §6) sets on the first frame of a compressed message.
/// </summary>
internal readonly record struct FrameHeader(bool Fin, Opcode Opcode, long PayloadLength, bool Compressed = false)
{
    private const byte Rsv1 = 0x40, Rsv2And3 = 0x30;

    /// <summary>
    /// The first two bytes: returns the header and how many extended-length bytes follow (0, 2 or 8).
    /// <paramref name="deflate"/> says whether permessage-deflate was negotiated, which is what allows RSV1.
    /// </summary>
    public static (FrameHeader Header, int ExtendedLengthBytes) ParseStart(byte first, byte second, bool deflate = false)
    {
        if ((first & Rsv2And3) != 0 || (!deflate && (first & Rsv1) != 0))
            throw new ProtocolViolation(CloseCodes.ProtocolError, "Reserved bits are set but no extension was negotiated");
        var opcode = (Opcode)(first & 0x0F);
        if (!opcode.IsDefined())
            throw new ProtocolViolation(CloseCodes.ProtocolError, $"Reserved opcode 0x{(byte)opcode:X}");
        var compressed = (first & Rsv1) != 0;
        if (compressed && opcode.IsControl())
            throw new ProtocolViolation(CloseCodes.ProtocolError, "Control frames are never compressed, but RSV1 is set");
        if (compressed && opcode == Opcode.Continuation)
            throw new ProtocolViolation(CloseCodes.ProtocolError, "RSV1 is set on a continuation frame; only a message's first frame marks it compressed");
        if ((second & 0x80) == 0)
            throw new ProtocolViolation(CloseCodes.ProtocolError, "Client frames must be masked");

        var fin = (first & 0x80) != 0;
        var length = second & 0x7F;
        if (opcode.IsControl())
        {
            if (!fin)
                throw new ProtocolViolation(CloseCodes.ProtocolError, "Control frames must not be fragmented");
            if (length > 125)
                throw new ProtocolViolation(CloseCodes.ProtocolError, "Control frame payload is over 125 bytes");
        }
        var extended = length switch { 126 => 2, 127 => 8, _ => 0 };
        return (new FrameHeader(fin, opcode, extended == 0 ? length : 0, compressed), extended);
    }

    /// <summary>Completes the header with its extended payload length.</summary>
    public FrameHeader WithExtendedLength(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == 2)
            return this with { PayloadLength = BinaryPrimitives.ReadUInt16BigEndian(bytes) };
        var length = BinaryPrimitives.ReadUInt64BigEndian(bytes);
        if (length > long.MaxValue)
            throw new ProtocolViolation(CloseCodes.ProtocolError, "Payload length has its most significant bit set");
        return this with { PayloadLength = (long)length };
    }

    /// <summary>Removes the client's mask (RFC 6455 §5.3) in place; <paramref name="offset"/> is the payload position of <paramref name="data"/>[0].</summary>
    public static void Unmask(Span<byte> data, ReadOnlySpan<byte> key, long offset = 0)
    {
        for (var i = 0; i < data.Length; i++)
            data[i] ^= key[(int)((offset + i) & 3)];
    }
}

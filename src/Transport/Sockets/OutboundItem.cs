using AkkaHibernation.Actors.Sessions;
using AkkaHibernation.Transport.Framing;

namespace AkkaHibernation.Transport.Sockets;

/// <summary>
/// One frame in a socket's outbound queue; a close frame ends the queue. <see cref="Compressed"/> marks a payload the
/// writer has deflated (permessage-deflate).
/// </summary>
internal readonly record struct OutboundItem(Opcode Opcode, ReadOnlyMemory<byte> Payload, int CloseCode, bool Compressed = false)
{
    public bool IsClose => Opcode == Opcode.Close;

    public bool IsData => Opcode is Opcode.Text or Opcode.Binary;

    public static OutboundItem Data(OutboundFrame frame) => new(frame.IsText ? Opcode.Text : Opcode.Binary, frame.Payload, 0);

    public static OutboundItem Pong(ReadOnlyMemory<byte> payload) => new(Opcode.Pong, payload, 0);

    public static OutboundItem Ping() => new(Opcode.Ping, Array.Empty<byte>(), 0);

    /// <summary>A close frame; codes that may not be sent (1005, 1006) give a close frame without status.</summary>
    public static OutboundItem Close(int code, string reason) =>
        new(Opcode.Close, CloseCodes.IsSendable(code) ? FrameEncoder.ClosePayload(code, reason) : Array.Empty<byte>(), code);
}

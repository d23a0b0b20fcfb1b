using AkkaHibernation.Actors.Sessions;
using AkkaHibernation.Transport.Framing;

namespace AkkaHibernation.Transport.Sockets;

/// <summary>One frame in a socket's outbound queue; a close frame ends the queue.</summary>
internal readonly record struct OutboundItem(Opcode Opcode, ReadOnlyMemory<byte> Payload, int CloseCode)
{
    public bool IsClose => Opcode == Opcode.Close;

    public static OutboundItem Data(OutboundFrame frame) => new(frame.IsText ? Opcode.Text : Opcode.Binary, frame.Payload, 0);

    public static OutboundItem Pong(byte[] payload) => new(Opcode.Pong, payload, 0);

    public static OutboundItem Ping() => new(Opcode.Ping, Array.Empty<byte>(), 0);

    /// <summary>A close frame; codes that may not be sent (1005, 1006) give a close frame without status.</summary>
    public static OutboundItem Close(int code, string reason) =>
        new(Opcode.Close, Actors.Rooms.CloseCodes.IsSendable(code) ? FrameEncoder.ClosePayload(code, reason) : Array.Empty<byte>(), code);
}

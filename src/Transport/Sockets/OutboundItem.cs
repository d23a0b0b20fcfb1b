using AkkaHibernation.Actors.Sessions;

namespace AkkaHibernation.Transport.Sockets;

/// <summary>One entry of a socket's outbound queue: a data frame, or the close frame that ends the queue.</summary>
internal readonly record struct OutboundItem(OutboundFrame Frame, bool IsClose, int CloseCode, string? CloseReason)
{
    public static OutboundItem Data(OutboundFrame frame) => new(frame, false, 0, null);

    public static OutboundItem Close(int code, string reason) => new(default, true, code, reason);
}

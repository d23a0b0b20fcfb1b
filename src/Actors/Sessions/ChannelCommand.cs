using AkkaHibernation.Actors.Rooms;

namespace AkkaHibernation.Actors.Sessions;

/// <summary>
/// What a room does to one session's socket. The room queues commands while a handler runs and applies them, in the
/// order it issued them, once the handler's events are persisted (the output gate).
/// </summary>
public abstract record ChannelCommand
{
    private ChannelCommand() { }

    /// <summary>Carries the command out on <paramref name="channel"/>.</summary>
    public abstract void ApplyTo(IClientChannel channel);

    /// <summary>Send one data frame to the client.</summary>
    public sealed record Deliver(OutboundFrame Frame) : ChannelCommand
    {
        /// <inheritdoc />
        public override void ApplyTo(IClientChannel channel) => channel.Send(Frame);
    }

    /// <summary>Close the client's socket with a code and reason.</summary>
    public sealed record Close(int Code, string Reason) : ChannelCommand
    {
        /// <inheritdoc />
        public override void ApplyTo(IClientChannel channel) => channel.Close(Code, Reason);
    }

    /// <summary>Tell the channel the room's auto-response pair.</summary>
    public sealed record UseAutoResponse(AutoResponsePair? Pair) : ChannelCommand
    {
        /// <inheritdoc />
        public override void ApplyTo(IClientChannel channel) => channel.SetAutoResponse(Pair);
    }

    /// <summary>The room has handled every numbered message of this socket up to <paramref name="UpTo"/> (cluster mode).</summary>
    public sealed record Acknowledge(long UpTo) : ChannelCommand
    {
        /// <inheritdoc />
        public override void ApplyTo(IClientChannel channel) => channel.Acknowledge(UpTo);
    }

    /// <summary>The room has handled the close of this session: the transport may forget the socket.</summary>
    public sealed record Release : ChannelCommand
    {
        /// <summary>The one instance.</summary>
        public static Release Instance { get; } = new();

        /// <inheritdoc />
        public override void ApplyTo(IClientChannel channel) => channel.Release();
    }
}

using AkkaHibernation.Actors.Behaviours;
using AkkaHibernation.Actors.Sessions;
using AkkaHibernation.Ids;

namespace AkkaHibernation.Actors.Connections;

/// <summary>
/// Between a room and its <see cref="ConnectionActor"/> children. The room sends a turn's commands for one socket as
/// one message (a <see cref="ChannelCommand"/> alone, or <see cref="Commands"/>), numbered messages of cluster mode to
/// be put in order, a close to be completed, and <see cref="Retire"/> when it stops.
/// </summary>
public static class ConnectionProtocol
{
    /// <summary>Several commands of one room turn for the socket, carried out in this order.</summary>
    public sealed record Commands(IReadOnlyList<ChannelCommand> InOrder);

    /// <summary>
    /// Answer to a numbered <see cref="Rooms.RoomProtocol.Inbound"/>: the messages now ready for the room, in send order
    /// (none when it was a copy or overtook an earlier one), and the number to confirm once they are handled: every one
    /// up to it is (a copy is confirmed again, as the confirmation before may have been lost with a node); null while
    /// the message waits for an earlier one, which leaves nothing new to confirm.
    /// </summary>
    public sealed record InOrder(ConnectionId ConnectionId, IReadOnlyList<RoomMessage> Messages, long? ConfirmUpTo);

    /// <summary>The socket closed: hand back the messages still held for an earlier one, which can no longer arrive.</summary>
    public sealed record Closing(int Code, string Reason, bool WasClean);

    /// <summary>Answer to <see cref="Closing"/>: the held messages in send order, then the close itself.</summary>
    public sealed record Ended(ConnectionId ConnectionId, IReadOnlyList<RoomMessage> Held, int Code, string Reason, bool WasClean);

    /// <summary>The room is stopping: carry out what is queued and stop (the room, which watches it, sees it terminate).</summary>
    public sealed record Retire
    {
        /// <summary>The one instance.</summary>
        public static Retire Instance { get; } = new();
    }
}

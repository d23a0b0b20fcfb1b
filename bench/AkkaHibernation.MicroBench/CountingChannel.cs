using AkkaHibernation.Actors.Rooms;
using AkkaHibernation.Actors.Sessions;
using AkkaHibernation.Ids;

namespace AkkaHibernation.MicroBench;

/// <summary>A client channel with no socket: it counts the frames a room sends it into a shared countdown.</summary>
public sealed class CountingChannel(string connectionId, RoomKey room, FrameCountdown countdown) : IClientChannel
{
    public ConnectionId ConnectionId { get; } = new(connectionId);

    public RoomKey Room { get; } = room;

    public ChannelEnd? Ended => null;

    public DateTimeOffset? LastAutoResponseAt => null;

    public void Send(OutboundFrame frame) => countdown.Signal();

    public void Close(int code, string reason)
    {
    }

    public void SetAutoResponse(AutoResponsePair? pair)
    {
    }

    public void Release()
    {
    }

    public void Acknowledge(long upTo)
    {
    }
}

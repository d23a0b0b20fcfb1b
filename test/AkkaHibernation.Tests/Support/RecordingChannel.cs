using System.Collections.Concurrent;
using System.Text;
using Akka.Actor;
using AkkaHibernation.Actors.Rooms;
using AkkaHibernation.Actors.Sessions;
using AkkaHibernation.Ids;

namespace AkkaHibernation.Tests.Support;

/// <summary>What a room did to a socket, as the transport port would see it.</summary>
public abstract record ChannelCall(string ConnectionId)
{
    public sealed record Sent(string ConnectionId, string Text) : ChannelCall(ConnectionId);

    public sealed record Closed(string ConnectionId, int Code, string Reason) : ChannelCall(ConnectionId);

    public sealed record AutoResponseSet(string ConnectionId, AutoResponsePair? Pair) : ChannelCall(ConnectionId);

    public sealed record Released(string ConnectionId) : ChannelCall(ConnectionId);

    public sealed record Acknowledged(string ConnectionId, long UpTo) : ChannelCall(ConnectionId);
}

/// <summary>The transport port for specs: every call is recorded, as a message to a probe or by a callback.</summary>
public sealed class RecordingChannel(string connectionId, Action<ChannelCall> record, RoomKey? room = null) : IClientChannel
{
    /// <summary>A channel whose calls become messages to <paramref name="probe"/>.</summary>
    public RecordingChannel(string connectionId, IActorRef probe, RoomKey? room = null)
        : this(connectionId, call => probe.Tell(call), room)
    {
    }

    public ConnectionId ConnectionId { get; } = new(connectionId);

    public RoomKey? Room { get; } = room;

    public DateTimeOffset? LastAutoResponseAt { get; set; }

    public ChannelEnd? Ended { get; set; }

    public void Send(OutboundFrame frame) =>
        record(new ChannelCall.Sent(ConnectionId.Value, frame.IsText ? Encoding.UTF8.GetString(frame.Payload.Span) : "<binary>"));

    public void Close(int code, string reason) => record(new ChannelCall.Closed(ConnectionId.Value, code, reason));

    public void SetAutoResponse(AutoResponsePair? pair) => record(new ChannelCall.AutoResponseSet(ConnectionId.Value, pair));

    public void Release() => record(new ChannelCall.Released(ConnectionId.Value));

    public void Acknowledge(long upTo) => record(new ChannelCall.Acknowledged(ConnectionId.Value, upTo));
}

/// <summary>A registry of recording channels that a spec adds to and removes from, as sockets come and go.</summary>
public sealed class RecordingRegistry : IClientChannelRegistry
{
    private readonly ConcurrentDictionary<string, RecordingChannel> _channels = new();

    public IClientChannel? Find(ConnectionId connectionId, EdgeAddress? edge) => _channels.GetValueOrDefault(connectionId.Value);

    public void Add(RecordingChannel channel) => _channels[channel.ConnectionId.Value] = channel;

    public void Remove(string connectionId) => _channels.TryRemove(connectionId, out _);

    public IEnumerable<IClientChannel> InRoom(RoomKey room) => _channels.Values.Where(channel => channel.Room == room);
}

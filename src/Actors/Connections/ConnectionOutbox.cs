using Akka.Actor;
using AkkaHibernation.Actors.Rooms;
using AkkaHibernation.Actors.Sessions;
using static AkkaHibernation.Actors.Connections.ConnectionProtocol;

namespace AkkaHibernation.Actors.Connections;

/// <summary>
/// Gathers what a room's released effects do to each socket into one message for its connection actor: the command
/// alone when there is one (a broadcast sends the same command object to every child, encoded once), else
/// <see cref="Commands"/> in the order issued. It sends when the room handles the flush that the first command queued
/// here asked for: a room that is busy has messages queued before that flush, and every turn it handles meanwhile adds
/// to the same messages. A message per child and turn cost a fifth of fan-out throughput to 100 clients
/// (docs/BENCHMARKS.md); an idle room handles the flush at once. A socket whose release is among them has no
/// connection actor after the send.
/// </summary>
/// <param name="requestFlush">Asks the room to call <see cref="Send"/> after the messages already queued for it.</param>
internal sealed class ConnectionOutbox(Action requestFlush)
{
    // Reused from release to release, so a broadcast to thousands of sockets allocates nothing here once warm.
    private readonly Dictionary<RoomWebSocket, object> _pending = new(ReferenceEqualityComparer.Instance);
    private readonly List<RoomWebSocket> _released = [];
    private int _releasesGathered;

    /// <summary>Releases gathered before they are sent without waiting for the flush, so a long queue delays no frame long.</summary>
    public const int MaxReleasesGathered = 8;

    /// <summary>One release of effects is gathered: sends at once once <see cref="MaxReleasesGathered"/> are.</summary>
    public void Released()
    {
        if (_pending.Count > 0 && ++_releasesGathered >= MaxReleasesGathered)
            Send();
    }

    /// <summary>Queues <paramref name="command"/> for the connection actor of <paramref name="target"/>; false when it has none.</summary>
    public bool TryAdd(RoomWebSocket target, ChannelCommand command)
    {
        if (target.Connection is null)
            return false;
        if (_pending.Count == 0)
            requestFlush();
        var pending = _pending.GetValueOrDefault(target);
        _pending[target] = pending switch
        {
            null => command,
            List<ChannelCommand> several => Append(several, command),
            _ => new List<ChannelCommand> { (ChannelCommand)pending, command },
        };
        if (command is ChannelCommand.Release)
            _released.Add(target);
        return true;
    }

    /// <summary>Sends each connection actor its message (the room's flush; also before it retires its children).</summary>
    public void Send()
    {
        foreach (var (socket, pending) in _pending)
            socket.Connection!.Tell(pending is List<ChannelCommand> several ? new Commands(several) : pending);
        _pending.Clear();
        _releasesGathered = 0;
        foreach (var socket in _released)
            socket.Connection = null; // it stops once it has carried out the release
        _released.Clear();
    }

    private static List<ChannelCommand> Append(List<ChannelCommand> several, ChannelCommand command)
    {
        several.Add(command);
        return several;
    }
}

using Akka.Actor;
using AkkaHibernation.Actors.Rooms;
using AkkaHibernation.Actors.Sessions;
using static AkkaHibernation.Actors.Connections.ConnectionProtocol;

namespace AkkaHibernation.Actors.Connections;

/// <summary>
/// Gathers what one release of a room's effects does to each socket into one message for its connection actor: the
/// command alone when there is one (a broadcast sends the same command object to every child, encoded once), else
/// <see cref="Commands"/> in the order issued. A socket whose release is among them has no connection actor after this.
/// </summary>
internal sealed class ConnectionOutbox
{
    // Reused from release to release, so a broadcast to thousands of sockets allocates nothing here once warm.
    private readonly Dictionary<RoomWebSocket, object> _pending = new(ReferenceEqualityComparer.Instance);
    private readonly List<RoomWebSocket> _released = [];

    /// <summary>Queues <paramref name="command"/> for the connection actor of <paramref name="target"/>; false when it has none.</summary>
    public bool TryAdd(RoomWebSocket target, ChannelCommand command)
    {
        if (target.Connection is null)
            return false;
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

    /// <summary>Sends each connection actor its message.</summary>
    public void Send()
    {
        foreach (var (socket, pending) in _pending)
            socket.Connection!.Tell(pending is List<ChannelCommand> several ? new Commands(several) : pending);
        _pending.Clear();
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

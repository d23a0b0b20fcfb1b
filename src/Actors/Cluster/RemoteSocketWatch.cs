using Akka.Actor;
using AkkaHibernation.Actors.Rooms;
using AkkaHibernation.Ids;

namespace AkkaHibernation.Actors.Cluster;

/// <summary>
/// A room's view of its sockets held by other nodes (cluster mode). Each node's edge actor is watched once, since that
/// node's death ends all its sockets; after a wake the edge is asked which of them ended while no incarnation could
/// hear it. On a single node there are no such sockets and this does nothing.
/// </summary>
internal sealed class RemoteSocketWatch
{
    private readonly HashSet<IActorRef> _watchedEdges = new();

    /// <summary>Watches the edges of <paramref name="sockets"/> not watched yet; with <paramref name="probe"/>, asks each which sockets ended.</summary>
    public void Follow(IActorContext roomContext, RoomKey room, IEnumerable<RoomWebSocket> sockets, bool probe)
    {
        var byEdge = sockets
            .Where(socket => socket.Channel is RemoteClientChannel)
            .GroupBy(socket => ((RemoteClientChannel)socket.Channel).Edge);
        foreach (var edge in byEdge)
        {
            if (_watchedEdges.Add(edge.Key))
                roomContext.Watch(edge.Key);
            if (probe)
                edge.Key.Tell(new EdgeProtocol.ProbeSessions(room, edge.Select(socket => socket.ConnectionId).ToArray()));
        }
    }

    /// <summary>
    /// The watched <paramref name="edge"/> terminated: returns the connection ids of <paramref name="sockets"/> it held,
    /// which are gone with its node. False when <paramref name="edge"/> is not an edge this room watches.
    /// </summary>
    public bool TryLose(IActorRef edge, IEnumerable<RoomWebSocket> sockets, out List<ConnectionId> lost)
    {
        lost = [];
        if (!_watchedEdges.Remove(edge))
            return false;
        lost = sockets
            .Where(socket => socket.Channel is RemoteClientChannel remote && remote.Edge.Equals(edge))
            .Select(socket => socket.ConnectionId)
            .ToList();
        return true;
    }
}

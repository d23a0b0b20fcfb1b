using Akka.Actor;
using AkkaHibernation.Actors.Rooms;
using AkkaHibernation.Actors.Sessions;
using static AkkaHibernation.Actors.Cluster.EdgeProtocol;
using static AkkaHibernation.Actors.Rooms.RoomProtocol;

namespace AkkaHibernation.Actors.Cluster;

/// <summary>
/// One per node in cluster mode (<c>/user/edge</c>): the address through which rooms on any node reach the sockets
/// this node holds. Rooms record its path, with its uid, in each session, so a room rebuilt elsewhere finds its
/// sockets again, and a path from an earlier run of the node reaches nothing rather than a stranger's socket.
/// One actor serves every socket of the node: a socket costs no actor, and a room watches one actor per node.
/// </summary>
public sealed class SocketEdge : ReceiveActor
{
    /// <summary>The edge's actor name under <c>/user</c>.</summary>
    public const string Name = "edge";

    /// <summary>Props for the edge over this node's own sockets.</summary>
    public static Props Props(IClientChannelRegistry localSockets) =>
        Akka.Actor.Props.Create(() => new SocketEdge(localSockets));

    /// <summary>Made by Akka from <see cref="Props"/>; public because Akka's activator needs it.</summary>
    public SocketEdge(IClientChannelRegistry localSockets)
    {
        // A socket that is gone by now has been (or is being) reported to its room as Closed: nothing to do.
        Receive<EdgeBatch>(batch =>
        {
            foreach (var item in batch.Items)
            {
                if (localSockets.Find(item.ConnectionId, edge: null) is { } channel)
                    batch.Commands[item.Command].ApplyTo(channel);
            }
        });
        Receive<ProbeSessions>(probe =>
        {
            foreach (var connectionId in probe.ConnectionIds)
            {
                var channel = localSockets.Find(connectionId, edge: null);
                if (channel is null)
                    Sender.Tell(new Closed(probe.Room, connectionId, CloseCodes.Abnormal, "Socket gone while the room slept", false));
                else if (channel.Ended is { } end)
                    Sender.Tell(new Closed(probe.Room, connectionId, end.Code, end.Reason, end.WasClean));
            }
        });
    }
}

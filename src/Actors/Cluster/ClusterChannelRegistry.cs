using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Cluster;
using AkkaHibernation.Actors.Sessions;
using AkkaHibernation.Ids;

namespace AkkaHibernation.Actors.Cluster;

/// <summary>
/// The registry rooms use in cluster mode: a session recorded with this node's edge (or none) is looked up among the
/// node's own sockets; one recorded with another member's edge is reached through a <see cref="RemoteClientChannel"/>;
/// one whose node is no longer a member is gone, so a room that wakes after a crash closes those sessions at once.
/// </summary>
public sealed class ClusterChannelRegistry : IClientChannelRegistry
{
    private readonly IClientChannelRegistry _localSockets;
    private readonly ExtendedActorSystem _system;
    private readonly Akka.Cluster.Cluster _cluster;
    private readonly ConcurrentDictionary<EdgeAddress, IActorRef> _edges = new();

    /// <summary>A registry over <paramref name="localSockets"/>, whose own edge actor is <paramref name="localEdge"/>.</summary>
    public ClusterChannelRegistry(IClientChannelRegistry localSockets, ActorSystem system, IActorRef localEdge)
    {
        _localSockets = localSockets;
        _system = (ExtendedActorSystem)system;
        _cluster = Akka.Cluster.Cluster.Get(system);
        LocalEdge = new EdgeAddress(Akka.Serialization.Serialization.SerializedActorPath(localEdge));
    }

    /// <summary>This node's edge path, with its uid: what the transport puts in <see cref="ConnectRequest.Edge"/>.</summary>
    public EdgeAddress LocalEdge { get; }

    /// <inheritdoc />
    public IClientChannel? Find(ConnectionId connectionId, EdgeAddress? edge)
    {
        if (edge is not { } address || address == LocalEdge)
            return _localSockets.Find(connectionId, edge: null);
        var remote = _edges.GetOrAdd(address, path => _system.Provider.ResolveActorRef(path.Value));
        return IsMember(remote.Path.Address) ? new RemoteClientChannel(connectionId, remote) : null;
    }

    private bool IsMember(Address address) => _cluster.State.Members.Any(member =>
        member.Address.Equals(address) && member.Status is MemberStatus.Joining or MemberStatus.WeaklyUp or MemberStatus.Up or MemberStatus.Leaving);

    /// <inheritdoc />
    /// <remarks>Only this node's sockets: each node closes its own when a room fails.</remarks>
    public IEnumerable<IClientChannel> InRoom(RoomKey room) => _localSockets.InRoom(room);
}

using System.Collections.Concurrent;
using Akka.Actor;
using AkkaHibernation.Actors.Sessions;

namespace AkkaHibernation.Actors.Cluster;

/// <summary>
/// The registry rooms use in cluster mode: a session recorded with this node's edge (or none) is looked up among the
/// node's own sockets; one recorded with another node's edge is reached through a <see cref="RemoteClientChannel"/>.
/// </summary>
public sealed class ClusterChannelRegistry : IClientChannelRegistry
{
    private readonly IClientChannelRegistry _localSockets;
    private readonly ExtendedActorSystem _system;
    private readonly ConcurrentDictionary<string, IActorRef> _edges = new(StringComparer.Ordinal);

    /// <summary>A registry over <paramref name="localSockets"/>, whose own edge actor is <paramref name="localEdge"/>.</summary>
    public ClusterChannelRegistry(IClientChannelRegistry localSockets, ActorSystem system, IActorRef localEdge)
    {
        _localSockets = localSockets;
        _system = (ExtendedActorSystem)system;
        LocalEdgePath = Akka.Serialization.Serialization.SerializedActorPath(localEdge);
    }

    /// <summary>This node's edge path, with its uid: what the transport puts in <see cref="Behaviours.ConnectRequest.Edge"/>.</summary>
    public string LocalEdgePath { get; }

    /// <inheritdoc />
    public IClientChannel? Find(string connectionId, string? edge) =>
        edge is null || edge == LocalEdgePath
            ? _localSockets.Find(connectionId, edge: null)
            : new RemoteClientChannel(connectionId, _edges.GetOrAdd(edge, path => _system.Provider.ResolveActorRef(path)));

    /// <inheritdoc />
    /// <remarks>Only this node's sockets: each node closes its own when a room fails.</remarks>
    public IEnumerable<IClientChannel> InRoom(string roomName) => _localSockets.InRoom(roomName);
}

using Akka.Actor;
using AkkaHibernation.Actors.Rooms;
using AkkaHibernation.Actors.Sessions;
using AkkaHibernation.Ids;
using static AkkaHibernation.Actors.Cluster.EdgeProtocol;

namespace AkkaHibernation.Actors.Cluster;

/// <summary>
/// A socket held by another node (cluster mode): every command goes to that node's <see cref="SocketEdge"/> as a
/// message, and messages from one sender to one receiver keep their order, so frames and closes arrive as issued.
/// </summary>
public sealed class RemoteClientChannel(ConnectionId connectionId, IActorRef edge) : IClientChannel
{
    /// <inheritdoc />
    public ConnectionId ConnectionId { get; } = connectionId;

    /// <summary>The edge actor of the node that holds the socket; the room watches it to learn of that node's death.</summary>
    public IActorRef Edge { get; } = edge;

    /// <inheritdoc />
    public void Send(OutboundFrame frame) => Apply(new ChannelCommand.Deliver(frame));

    /// <inheritdoc />
    public void Close(int code, string reason) => Apply(new ChannelCommand.Close(code, reason));

    /// <inheritdoc />
    public void SetAutoResponse(AutoResponsePair? pair) => Apply(new ChannelCommand.UseAutoResponse(pair));

    /// <inheritdoc />
    /// <remarks>Unknown from here: the edge reports an ended socket as a <c>Closed</c> envelope, and answers a waking room's probe.</remarks>
    public ChannelEnd? Ended => null;

    /// <inheritdoc />
    /// <remarks>Not known across nodes: the holding node answers auto-responses without telling the room.</remarks>
    public DateTimeOffset? LastAutoResponseAt => null;

    /// <inheritdoc />
    public void Release() => Apply(ChannelCommand.Release.Instance);

    /// <inheritdoc />
    public void Acknowledge(long upTo) => Apply(new ChannelCommand.Acknowledge(upTo));

    // A room releases its effects through EdgeOutbox, which batches them per node; this is for a single call.
    private void Apply(ChannelCommand command) => Edge.Tell(EdgeBatch.Single(ConnectionId, command));
}

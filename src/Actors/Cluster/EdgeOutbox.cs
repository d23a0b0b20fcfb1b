using Akka.Actor;
using AkkaHibernation.Actors.Sessions;
using static AkkaHibernation.Actors.Cluster.EdgeProtocol;

namespace AkkaHibernation.Actors.Cluster;

/// <summary>
/// Gathers what one room turn does to sockets held by other nodes into one <see cref="EdgeBatch"/> per node, each
/// command carried once however many sockets it goes to. Without it, a broadcast to a thousand sockets on another
/// node would be a thousand messages, each serialized with its own copy of the frame.
/// </summary>
internal sealed class EdgeOutbox
{
    private sealed class Batch
    {
        public List<ChannelCommand> Commands { get; } = [];
        public Dictionary<ChannelCommand, int> Numbers { get; } = new(ReferenceEqualityComparer.Instance);
        public List<EdgeBatch.Item> Items { get; } = [];
    }

    private readonly Dictionary<IActorRef, Batch> _batches = new();

    /// <summary>
    /// Queues <paramref name="command"/> when <paramref name="channel"/> is a socket held by another node, after those
    /// queued before it; false for a socket of this node, which the caller applies the command to at once.
    /// </summary>
    public bool TryAdd(IClientChannel channel, ChannelCommand command)
    {
        if (channel is not RemoteClientChannel remote)
            return false;
        Add(remote, command);
        return true;
    }

    /// <summary>Queues <paramref name="command"/> for the socket behind <paramref name="channel"/>, after those queued before it.</summary>
    public void Add(RemoteClientChannel channel, ChannelCommand command)
    {
        if (!_batches.TryGetValue(channel.Edge, out var batch))
            _batches[channel.Edge] = batch = new Batch();
        if (!batch.Numbers.TryGetValue(command, out var number))
        {
            number = batch.Commands.Count;
            batch.Numbers[command] = number;
            batch.Commands.Add(command);
        }
        batch.Items.Add(new EdgeBatch.Item(channel.ConnectionId, number));
    }

    /// <summary>Sends one batch to each node's edge.</summary>
    public void Send()
    {
        foreach (var (edge, batch) in _batches)
            edge.Tell(new EdgeBatch(batch.Commands, batch.Items));
        _batches.Clear();
    }
}

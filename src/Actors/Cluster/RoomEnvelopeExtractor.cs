using Akka.Cluster.Sharding;
using static AkkaHibernation.Actors.Rooms.RoomProtocol;

namespace AkkaHibernation.Actors.Cluster;

/// <summary>Sharding's view of room envelopes: the entity id is the room key, and the envelope itself is the message.</summary>
public sealed class RoomEnvelopeExtractor(int shards) : HashCodeMessageExtractor(shards)
{
    /// <inheritdoc />
    public override string? EntityId(object message) => (message as IRoomEnvelope)?.Room.Value;
}

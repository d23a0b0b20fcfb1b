using AkkaHibernation.Ids;

namespace AkkaHibernation.Actors.Sessions;

/// <summary>Finds the live channel of a connection id; a room waking up uses it to tell live sessions from gone ones.</summary>
public interface IClientChannelRegistry
{
    /// <summary>
    /// The channel of <paramref name="connectionId"/>, held by this node or, in cluster mode, by the node whose edge
    /// actor is <paramref name="edge"/>; null when the socket is known to be gone.
    /// </summary>
    IClientChannel? Find(ConnectionId connectionId, EdgeAddress? edge);

    /// <summary>The live channels of a room (used when a room fails, to close its sockets with 1011).</summary>
    IEnumerable<IClientChannel> InRoom(RoomKey room);
}

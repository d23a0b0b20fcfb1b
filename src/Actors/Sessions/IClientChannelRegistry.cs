namespace AkkaHibernation.Actors.Sessions;

/// <summary>Finds the live channel of a connection id; a room waking up uses it to tell live sessions from gone ones.</summary>
public interface IClientChannelRegistry
{
    /// <summary>The channel of <paramref name="connectionId"/>, or null when its socket is gone.</summary>
    IClientChannel? Find(string connectionId);

    /// <summary>The live channels of a room (used when a room fails, to close its sockets with 1011).</summary>
    IEnumerable<IClientChannel> InRoom(string roomName);
}

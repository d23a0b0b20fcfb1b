using System.Collections.Concurrent;
using AkkaHibernation.Actors.Sessions;
using AkkaHibernation.Ids;

namespace AkkaHibernation.Transport.Sockets;

/// <summary>The node's live sockets by connection id; rooms use it on waking to tell live sessions from gone ones.</summary>
public sealed class ClientChannelRegistry : IClientChannelRegistry
{
    private readonly ConcurrentDictionary<ConnectionId, WebSocketChannel> _channels = new();

    /// <summary>Sockets this node holds (open, or closing and not yet released by their room).</summary>
    public int Count => _channels.Count;

    /// <summary>The channel of <paramref name="connectionId"/> if this node holds it.</summary>
    public IClientChannel? Find(ConnectionId connectionId) => _channels.GetValueOrDefault(connectionId);

    /// <inheritdoc />
    /// <remarks>A single node holds every socket it knows; a session recorded with another node's edge is gone.</remarks>
    public IClientChannel? Find(ConnectionId connectionId, EdgeAddress? edge) => edge is null ? Find(connectionId) : null;

    /// <inheritdoc />
    public IEnumerable<IClientChannel> InRoom(RoomKey room) => _channels.Values.Where(channel => channel.Room == room);

    internal IReadOnlyCollection<WebSocketChannel> All => _channels.Values.ToList();

    internal void Add(WebSocketChannel channel) => _channels[channel.ConnectionId] = channel;

    internal void Remove(ConnectionId connectionId) => _channels.TryRemove(connectionId, out _);
}

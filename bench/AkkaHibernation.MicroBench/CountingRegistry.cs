using AkkaHibernation.Actors.Sessions;
using AkkaHibernation.Ids;

namespace AkkaHibernation.MicroBench;

/// <summary>The transport's registry, played by <see cref="CountingChannel"/>s known by connection id.</summary>
public sealed class CountingRegistry : IClientChannelRegistry
{
    private readonly Dictionary<ConnectionId, CountingChannel> _channels = new();

    public void Add(CountingChannel channel) => _channels.Add(channel.ConnectionId, channel);

    public IClientChannel? Find(ConnectionId connectionId, EdgeAddress? edge) => _channels.GetValueOrDefault(connectionId);

    public IEnumerable<IClientChannel> InRoom(RoomKey room) => _channels.Values.Where(c => c.Room == room);
}

using AkkaHibernation.Actors.Sessions;

namespace AkkaHibernation.MicroBench;

/// <summary>The transport's registry, played by <see cref="CountingChannel"/>s known by connection id.</summary>
public sealed class CountingRegistry : IClientChannelRegistry
{
    private readonly Dictionary<string, CountingChannel> _channels = new(StringComparer.Ordinal);

    public void Add(CountingChannel channel) => _channels.Add(channel.ConnectionId, channel);

    public IClientChannel? Find(string connectionId, string? edge) => _channels.GetValueOrDefault(connectionId);

    public IEnumerable<IClientChannel> InRoom(string roomName) => _channels.Values.Where(c => c.RoomName == roomName);
}

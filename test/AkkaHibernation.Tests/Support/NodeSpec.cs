using AkkaHibernation.Server.Node;
using Xunit;
using Xunit.Abstractions;

namespace AkkaHibernation.Tests.Support;

/// <summary>
/// Base of the end-to-end specs that run against one real server (loopback port, its own SQLite file). Clients
/// made with <see cref="Connect"/> are closed after each test, then the server, then the file is deleted.
/// </summary>
public abstract class NodeSpec(ITestOutputHelper output, string idleTimeout = "10s", params string[] hocon) : IAsyncLifetime
{
    private readonly List<TestClient> _clients = [];

    protected ITestOutputHelper Output { get; } = output;

    protected TestDatabase Database { get; } = new();

    protected TestNode Node { get; private set; } = null!;

    /// <summary>The rooms the server runs: the seed's alone, as the shipped host does, unless a spec says otherwise.</summary>
    protected virtual HostedRooms ServedRooms => HostedRooms.Seed;

    public virtual async Task InitializeAsync() => Node = await TestNode.StartWithRoomsAsync(Database, Output, ServedRooms, idleTimeout, hocon);

    public virtual async Task DisposeAsync()
    {
        foreach (var client in _clients)
            await client.DisposeAsync();
        await Node.DisposeAsync();
        Database.Dispose();
    }

    /// <summary>A real ClientWebSocket on <paramref name="path"/> (options set by <paramref name="configure"/>), closed when the test ends.</summary>
    protected async Task<TestClient> Connect(string path = "/websocket", Action<System.Net.WebSockets.ClientWebSocketOptions>? configure = null)
    {
        var client = await TestClient.ConnectAsync(Node.WebSocket(path), configure);
        _clients.Add(client);
        return client;
    }
}

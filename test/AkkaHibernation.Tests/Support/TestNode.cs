using System.Net;
using System.Net.Sockets;
using Akka.Configuration;
using AkkaHibernation.Server.Configuration;
using AkkaHibernation.Server.Node;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace AkkaHibernation.Tests.Support;

/// <summary>A real server (HttpListener on a free loopback port, SQLite file or PostgreSQL journal) for end-to-end tests.</summary>
public sealed class TestNode : IAsyncDisposable
{
    private readonly ILoggerFactory _loggerFactory;

    private TestNode(HibernationNode node, int port, int adminPort, ILoggerFactory loggerFactory)
    {
        Node = node;
        Port = port;
        AdminPort = adminPort;
        _loggerFactory = loggerFactory;
    }

    public HibernationNode Node { get; }

    public int Port { get; }

    public int AdminPort { get; }

    public Uri Admin(string path) => new($"http://127.0.0.1:{AdminPort}{path}");

    public Uri Http(string path = "/") => new($"http://127.0.0.1:{Port}{path}");

    public Uri WebSocket(string path = "/websocket") => new($"ws://127.0.0.1:{Port}{path}");

    public static Task<TestNode> StartAsync(
        TestDatabase database,
        ITestOutputHelper output,
        string idleTimeout = "10s",
        params string[] hocon) =>
        StartAsync(output, (listen, admin) => new HostOverrides(listen, database.Path, idleTimeout, hocon, admin));

    /// <summary>A server on a SQLite file that runs <paramref name="rooms"/> instead of the seed's room alone.</summary>
    public static Task<TestNode> StartWithRoomsAsync(
        TestDatabase database, ITestOutputHelper output, HostedRooms rooms, string idleTimeout = "10s", params string[] hocon) =>
        StartAsync(output, (listen, admin) => new HostOverrides(listen, database.Path, idleTimeout, hocon, admin), rooms);

    /// <summary>A server whose journal is the PostgreSQL database of <paramref name="connectionString"/>, running <paramref name="rooms"/> (null: the seed's room).</summary>
    public static Task<TestNode> StartOnPostgresAsync(
        string connectionString, ITestOutputHelper output, string idleTimeout = "10s", HostedRooms? rooms = null, params string[] hocon) =>
        StartAsync(output, (listen, admin) => new HostOverrides(listen, null, idleTimeout, hocon, admin, connectionString), rooms);

    /// <summary>Starts a node with the overrides <paramref name="overrides"/> makes for its listen and admin prefixes.</summary>
    private static async Task<TestNode> StartAsync(ITestOutputHelper output, Func<string, string, HostOverrides> overrides, HostedRooms? rooms = null)
    {
        // FreePort releases the port before the node binds it; a test running in parallel can take it in between,
        // so a bind conflict gets fresh ports (a bounded number of times).
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            var adminPort = FreePort();
            var config = HoconLoader.Load(HoconLoader.DefaultDirectory,
                overrides($"http://127.0.0.1:{port}/", $"http://127.0.0.1:{adminPort}/").ToConfig());
            var loggerFactory = XunitLoggerProvider.Factory(output);
            try
            {
                var node = await HibernationNode.StartAsync(config, loggerFactory, rooms);
                return new TestNode(node, port, adminPort, loggerFactory);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                loggerFactory.Dispose();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Node.StopAsync();
        _loggerFactory.Dispose();
    }

    /// <summary>A port no one listens on right now (HttpListener cannot bind port 0).</summary>
    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}

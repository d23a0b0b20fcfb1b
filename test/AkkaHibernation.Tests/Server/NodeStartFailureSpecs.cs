using System.Net;
using System.Net.Sockets;
using AkkaHibernation.Server.Configuration;
using AkkaHibernation.Server.Journal;
using AkkaHibernation.Server.Node;
using AkkaHibernation.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace AkkaHibernation.Tests.Server;

/// <summary>A node that fails to start lets go of everything it took, so the next attempt on the same journal can start.</summary>
public sealed class NodeStartFailureSpecs(ITestOutputHelper output)
{
    [Fact]
    public async Task A_node_whose_listen_port_is_taken_fails_with_the_bind_error_and_lets_go_of_the_journal()
    {
        using var database = new TestDatabase();
        using var taker = new TcpListener(IPAddress.Loopback, 0); // another process's socket, not an HttpListener of ours
        taker.Start();
        var port = ((IPEndPoint)taker.LocalEndpoint).Port;
        var config = HoconLoader.Load(HoconLoader.DefaultDirectory, new HostOverrides(
            $"http://127.0.0.1:{port}/", database.Path, "10s", [], $"http://127.0.0.1:{TestNode.FreePort()}/").ToConfig());
        using var loggerFactory = XunitLoggerProvider.Factory(output);

        await Assert.ThrowsAsync<HttpListenerException>(() => HibernationNode.StartAsync(config, loggerFactory));

        // The failed node's lock must be gone: the retry a supervisor (or a test host) makes on new ports needs it.
        using var taken = ServerLock.TryAcquire(database.Path);
        Assert.NotNull(taken);
    }
}

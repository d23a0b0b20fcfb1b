using System.Net;
using System.Net.Sockets;
using System.Text;
using AkkaHibernation.Transport.Http;
using Xunit;

namespace AkkaHibernation.Tests.Transport;

/// <summary>
/// Our endpoint listeners for HttpListener: the runtime's members are where we look, and a connection that is already
/// waiting when accepting starts is served (HttpListener's own endpoint listener fails its constructor on it).
/// </summary>
public sealed class ListenerEndpointsSpecs
{
    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    [Fact]
    public void The_runtime_keeps_its_endpoint_listeners_where_we_look() => Assert.True(ListenerEndpoints.IsAvailable);

    [Fact]
    public async Task A_connection_already_waiting_when_accepting_starts_is_served()
    {
        var prefix = $"http://127.0.0.1:{FreePort()}/";
        using var listener = new HttpListener { Prefixes = { prefix } };
        using var client = new TcpClient();
        ListenerEndpoints.Bind(listener, [prefix], beforeAccepting: () => client.Connect(new Uri(prefix).Host, new Uri(prefix).Port));
        listener.Start();

        await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes($"GET /waited HTTP/1.1\r\nHost: {new Uri(prefix).Authority}\r\n\r\n"));
        var context = await listener.GetContextAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("/waited", context.Request.RawUrl);
        context.Response.StatusCode = 204;
        context.Response.Close();
    }

    [Fact]
    public void A_taken_port_fails_the_bind_and_leaves_no_endpoint_behind()
    {
        var port = FreePort();
        using var taker = new TcpListener(IPAddress.Loopback, port);
        taker.Start();
        var prefix = $"http://127.0.0.1:{port}/";
        using var first = new HttpListener { Prefixes = { prefix } };

        Assert.Throws<HttpListenerException>(() => ListenerEndpoints.Bind(first, [prefix]));
        taker.Stop();
        using var second = new HttpListener { Prefixes = { prefix } };
        ListenerEndpoints.Bind(second, [prefix]);
        second.Start();
        Assert.True(second.IsListening);
    }

    [Fact]
    public void Closing_the_listener_releases_the_port()
    {
        var prefix = $"http://127.0.0.1:{FreePort()}/";
        var listener = new HttpListener { Prefixes = { prefix } };
        ListenerEndpoints.Bind(listener, [prefix]);
        listener.Start();
        listener.Close();

        using var rebound = new TcpListener(IPAddress.Loopback, new Uri(prefix).Port);
        rebound.Start(); // throws if the port were still bound
    }
}

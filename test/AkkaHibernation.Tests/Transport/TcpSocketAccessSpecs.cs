using System.Collections;
using System.Reflection;
using System.Net;
using System.Net.Sockets;
using AkkaHibernation.Transport.Sockets;
using Xunit;

namespace AkkaHibernation.Tests.Transport;

/// <summary>
/// The transport reaches HttpListener's TCP socket through non-public fields. If a .NET update moves them, this
/// fails before any user meets a server that refuses every upgrade.
/// </summary>
public sealed class TcpSocketAccessSpecs
{
    [Fact]
    public async Task The_socket_behind_an_HttpListener_request_is_reachable_and_can_be_detached()
    {
        Assert.True(TcpSocketAccess.IsAvailable);

        var port = Support.TestNode.FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        await client.GetStream().WriteAsync("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"u8.ToArray());
        var context = await listener.GetContextAsync();

        var socket = TcpSocketAccess.Find(context);
        Assert.NotNull(socket);
        Assert.Equal(((IPEndPoint)client.Client.LocalEndPoint!).Port, ((IPEndPoint)socket.RemoteEndPoint!).Port);
        Assert.Equal((1, 1), Registered(listener));
        TcpSocketAccess.DetachFromListener(context);
        Assert.Null(TcpSocketAccess.Find(context));
        // The listener no longer holds the request: a detached socket's objects are not kept for the listener's life.
        Assert.Equal((0, 0), Registered(listener));
        socket.Dispose();
    }

    [Fact]
    public void The_server_refuses_to_start_on_windows_and_on_a_runtime_that_hides_the_socket_saying_why()
    {
        Assert.Null(TcpSocketAccess.Unsupported(windows: false, socketReachable: true));
        Assert.Contains("does not run on Windows", TcpSocketAccess.Unsupported(windows: true, socketReachable: false));
        Assert.Contains("no longer exposes its TCP socket", TcpSocketAccess.Unsupported(windows: false, socketReachable: false));
    }

    /// <summary>How many contexts and connections the listener holds in its own (non-public) tables.</summary>
    private static (int Contexts, int Connections) Registered(HttpListener listener) =>
        (CountOf(listener, "_listenerContexts"), CountOf(listener, "_connections"));

    private static int CountOf(HttpListener listener, string field) =>
        typeof(HttpListener).GetField(field, BindingFlags.Instance | BindingFlags.NonPublic)?.GetValue(listener) is ICollection table
            ? table.Count
            : -1;
}

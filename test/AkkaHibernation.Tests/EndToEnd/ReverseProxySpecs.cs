using AkkaHibernation.Actors.Behaviours;
using AkkaHibernation.Server.Node;
using AkkaHibernation.Tests.Support;
using Xunit;
using Xunit.Abstractions;
using static AkkaHibernation.Tests.Support.Seed;

namespace AkkaHibernation.Tests.EndToEnd;

/// <summary>
/// Behind a real nginx that terminates TLS: clients on <c>wss://</c> reach the rooms, and the client address a room
/// sees is the forwarded one only when the peer is a trusted proxy (<c>trusted-proxies</c>), never a client's own claim.
/// </summary>
[ProcessLevel]
public sealed class ReverseProxySpecs(ITestOutputHelper output) : IAsyncLifetime
{
    private const string ForgedClient = "203.0.113.7";

    private readonly TestDatabase _database = new();
    private TestNode _node = null!;
    private NginxProxy _proxy = null!;

    /// <summary>Answers every connect with the client address the server gave the request.</summary>
    private sealed class WhoAmI(IRoomContext context) : IRoomBehaviour
    {
        public ConnectResult OnConnect(ConnectRequest request)
        {
            var socket = context.AcceptWebSocket(request);
            socket.Send(request.ClientAddress ?? "none");
            return ConnectResult.Accept(socket);
        }

        public void OnMessage(IHibernatableWebSocket socket, RoomMessage message) { }

        public void OnClose(IHibernatableWebSocket socket, int code, string reason, bool wasClean) { }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    private async Task StartAsync(params string[] trustedProxies)
    {
        var rooms = new HostedRooms(RoomTypes.Seed.With("whoami", context => new WhoAmI(context)), []);
        var trusted = string.Join(", ", trustedProxies.Select(proxy => $"\"{proxy}\""));
        _node = await TestNode.StartWithRoomsAsync(_database, output, rooms, "10s", $"akka-hibernation.transport.trusted-proxies = [{trusted}]");
        _proxy = await NginxProxy.StartAsync(_node.Port);
    }

    private Task<TestClient> ThroughProxy(string path, string? forwardedFor = null) =>
        TestClient.ConnectAsync(_proxy.WebSocket(path), options =>
        {
            options.RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == _proxy.Certificate.GetCertHashString();
            if (forwardedFor is not null)
                options.SetRequestHeader("X-Forwarded-For", forwardedFor);
        });

    [ProxyFact]
    public async Task A_wss_client_behind_the_proxy_gets_the_seeds_frames_and_rooms_see_its_address_not_its_claim()
    {
        await StartAsync(NginxProxy.UpstreamSource);

        await using (var client = await ThroughProxy("/websocket"))
        {
            await client.SendAsync("over tls");
            var echo = await client.ReceiveAsync();
            Assert.Equal(Line("over tls", SessionIdOf(echo), Sender, 1), echo);
            Assert.Equal(Line("over tls", SessionIdOf(echo), All, 1), await client.ReceiveAsync());
        }

        // nginx appends the address it saw (127.0.0.1) to whatever the client sent; the server trusts nginx's address only.
        await using var forged = await ThroughProxy("/parties/whoami/a", forwardedFor: ForgedClient);
        Assert.Equal("127.0.0.1", await forged.ReceiveAsync());
        await using var direct = await TestClient.ConnectAsync(_node.WebSocket("/parties/whoami/a"),
            options => options.SetRequestHeader("X-Forwarded-For", ForgedClient));
        Assert.Equal("127.0.0.1", await direct.ReceiveAsync()); // a client that is no proxy is believed nothing
    }

    [ProxyFact]
    public async Task Without_trusted_proxies_the_proxy_itself_is_the_client()
    {
        await StartAsync();

        await using var client = await ThroughProxy("/parties/whoami/a", forwardedFor: ForgedClient);

        Assert.Equal(NginxProxy.UpstreamSource, await client.ReceiveAsync());
    }

    public async Task DisposeAsync()
    {
        _proxy?.Dispose();
        if (_node is not null)
            await _node.DisposeAsync();
        _database.Dispose();
    }
}

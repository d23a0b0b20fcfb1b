using System.Web;
using AkkaHibernation.Actors.Behaviours;
using AkkaHibernation.Server.Node;
using AkkaHibernation.Tests.Support;
using Xunit;
using Xunit.Abstractions;
using static AkkaHibernation.Tests.Support.Seed;

namespace AkkaHibernation.Tests.EndToEnd;

/// <summary>
/// RFC 6455 §4.2.2: the 101 names a subprotocol only when the room selected one the client offered; the seed's room
/// selects none. A room that selects one the client did not offer gets its upgrade refused with 500.
/// </summary>
public sealed class SubprotocolSpecs(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TestDatabase _database = new();
    private TestNode _node = null!;

    /// <summary>Selects the subprotocol named by <c>?select=</c>, offered or not; answers every message with its socket count.</summary>
    private sealed class Selecting(IRoomContext context) : IRoomBehaviour
    {
        public ConnectResult OnConnect(ConnectRequest request)
        {
            var select = HttpUtility.ParseQueryString(new Uri(new Uri("http://x"), request.Url).Query)["select"];
            return ConnectResult.Accept(context.AcceptWebSocket(request), select);
        }

        public void OnMessage(IHibernatableWebSocket socket, RoomMessage message) => socket.Send($"sockets: {context.GetWebSockets().Count}");

        public void OnClose(IHibernatableWebSocket socket, int code, string reason, bool wasClean) => socket.Close(code, "bye");
    }

    public async Task InitializeAsync() =>
        _node = await TestNode.StartWithRoomsAsync(_database, output,
            new HostedRooms(RoomTypes.Seed.With("proto", context => new Selecting(context)), []));

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        _database.Dispose();
    }

    private async Task<string> UpgradeAsync(string path, string offered)
    {
        await using var client = await RawClient.ConnectAsync(_node.Port);
        return await client.RequestAsync(RawClient.Handshake(_node.Port, path, $"Sec-WebSocket-Protocol: {offered}\r\n"));
    }

    [Fact]
    public async Task A_subprotocol_offered_to_the_seeds_room_is_not_named_in_the_101()
    {
        var response = await UpgradeAsync("/websocket", "chat, superchat");
        Assert.StartsWith("HTTP/1.1 101", response);
        Assert.DoesNotContain("Sec-WebSocket-Protocol", response);

        await using var client = await TestClient.ConnectAsync(_node.WebSocket(), options => options.AddSubProtocol("chat"));
        Assert.Null(client.SubProtocol);
        await client.SendAsync("hi");
        var echo = await client.ReceiveAsync();
        Assert.Equal(Line("hi", SessionIdOf(echo), Sender, 1), echo);
    }

    [Fact]
    public async Task A_room_that_selects_an_offered_subprotocol_names_it_in_the_101()
    {
        var response = await UpgradeAsync("/parties/proto/a?select=chat", "v1.json, chat");
        Assert.StartsWith("HTTP/1.1 101", response);
        Assert.Contains("Sec-WebSocket-Protocol: chat\r\n", response);

        await using var client = await TestClient.ConnectAsync(_node.WebSocket("/parties/proto/b?select=chat"), options =>
        {
            options.AddSubProtocol("v1.json");
            options.AddSubProtocol("chat");
        });
        Assert.Equal("chat", client.SubProtocol);
    }

    [Fact]
    public async Task A_room_that_selects_a_subprotocol_the_client_did_not_offer_gets_the_upgrade_refused_with_500()
    {
        var response = await UpgradeAsync("/parties/proto/c?select=bogus", "chat");
        Assert.StartsWith("HTTP/1.1 500", response);
        Assert.EndsWith("Room selected subprotocol 'bogus', which the client did not offer", response);

        // The refused socket never became a session of the room.
        await using var client = await TestClient.ConnectAsync(_node.WebSocket("/parties/proto/c"));
        await client.SendAsync("how many?");
        Assert.Equal("sockets: 1", await client.ReceiveAsync());
    }
}

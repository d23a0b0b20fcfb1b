using System.Net.WebSockets;
using AkkaHibernation.Tests.Support;
using Xunit;
using Xunit.Abstractions;
using static AkkaHibernation.Tests.Support.Seed;

namespace AkkaHibernation.Tests.EndToEnd;

/// <summary>BEHAVIOUR.md, WebSocket: real ClientWebSockets against a real host, every reply byte for byte and in order.</summary>
public sealed class SeedWebSocketSpecs(ITestOutputHelper output) : NodeSpec(output)
{

    /// <summary>Each client in turn says hello; every other client's copies are drained, so all inboxes end empty.</summary>
    private static async Task<string[]> IdentifyAllAsync(params TestClient[] clients)
    {
        var ids = new string[clients.Length];
        for (var i = 0; i < clients.Length; i++)
        {
            ids[i] = await IdentifyAsync(clients[i], $"client {i}");
            foreach (var other in clients.Where((_, j) => j != i))
                await other.ReceiveAsync(2);
        }
        return ids;
    }

    [Fact]
    public async Task A_lone_client_gets_its_echo_then_the_broadcast()
    {
        var client = await Connect();

        await client.SendAsync("hello");
        var echo = await client.ReceiveAsync();
        var id = SessionIdOf(echo);

        Assert.Equal(Line("hello", id, Sender, 1), echo);
        Assert.Equal(Line("hello", id, All, 1), await client.ReceiveAsync());
    }

    [Fact]
    public async Task Three_clients_each_get_exactly_the_seed_frames_in_order()
    {
        var a = await Connect();
        var b = await Connect();
        var c = await Connect();
        var ids = await IdentifyAllAsync(a, b, c);
        var idB = ids[1];
        Assert.Equal(3, ids.Distinct().Count());

        await b.SendAsync("from b");

        Assert.Equal([Line("from b", idB, Sender, 3), Line("from b", idB, All, 3)], await b.ReceiveAsync(2));
        Assert.Equal([Line("from b", idB, All, 3), Line("from b", idB, Others, 3)], await a.ReceiveAsync(2));
        Assert.Equal([Line("from b", idB, All, 3), Line("from b", idB, Others, 3)], await c.ReceiveAsync(2));
    }

    [Fact]
    public async Task Messages_from_one_client_are_answered_in_the_order_sent()
    {
        var client = await Connect();
        const int count = 200;
        for (var i = 0; i < count; i++)
            await client.SendAsync($"m{i}");

        var frames = await client.ReceiveAsync(count * 2);
        var id = SessionIdOf(frames[0]);
        for (var i = 0; i < count; i++)
        {
            Assert.Equal(Line($"m{i}", id, Sender, 1), frames[2 * i]);
            Assert.Equal(Line($"m{i}", id, All, 1), frames[2 * i + 1]);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("héllo wörld ✓ 🎉 日本語")]
    [InlineData("PING")]
    [InlineData("ping ")]
    [InlineData("pong")]
    [InlineData("line one\nline two")]
    public async Task Any_text_is_echoed_as_received(string message)
    {
        var client = await Connect();
        await client.SendAsync(message);
        var echo = await client.ReceiveAsync();

        Assert.Equal(Line(message, SessionIdOf(echo), Sender, 1), echo);
    }

    [Fact]
    public async Task A_binary_message_renders_as_a_JavaScript_ArrayBuffer()
    {
        var client = await Connect();
        await client.SendBinaryAsync("ping"u8.ToArray());
        var echo = await client.ReceiveAsync();

        Assert.Equal(Line("[object ArrayBuffer]", SessionIdOf(echo), Sender, 1), echo);
        Assert.Equal(Line("[object ArrayBuffer]", SessionIdOf(echo), All, 1), await client.ReceiveAsync());
    }

    [Fact]
    public async Task Ping_is_answered_with_pong_to_that_client_only()
    {
        var a = await Connect();
        var b = await Connect();
        var idA = (await IdentifyAllAsync(a, b))[0];

        await b.SendAsync("ping");
        Assert.Equal("pong", await b.ReceiveAsync());

        // Had a received anything for b's ping, it would come before the frames of this next message.
        await a.SendAsync("after");
        Assert.Equal(Line("after", idA, Sender, 2), await a.ReceiveAsync());
        Assert.Equal([Line("after", idA, All, 2), Line("after", idA, Others, 2)], await b.ReceiveAsync(2));
        Assert.Equal(1, Node.Node.TransportCounters.AutoResponses);
    }

    [Fact]
    public async Task Any_path_ending_in_websocket_reaches_room_foo()
    {
        // Even the paths that look like our own routes: the seed sends every URL that ends with /websocket to foo.
        var a = await Connect("/websocket");
        var b = await Connect("/some/other/websocket");
        var c = await Connect("/rooms/other/websocket");
        var d = await Connect("/parties/main/other/websocket");
        await IdentifyAllAsync(a, b, c, d);

        await c.SendAsync("x");
        var echo = await c.ReceiveAsync();
        Assert.Equal(Line("x", SessionIdOf(echo), Sender, 4), echo);
    }

    [Fact]
    public async Task The_default_types_party_route_is_the_named_room()
    {
        var named = await Connect("/rooms/lobby");
        var party = await Connect("/parties/main/lobby?_pk=abc");
        await IdentifyAllAsync(named, party);

        await party.SendAsync("x");
        var echo = await party.ReceiveAsync();
        Assert.Equal(Line("x", SessionIdOf(echo), Sender, 2), echo);
    }

    [Fact]
    public async Task Named_rooms_are_separate_rooms()
    {
        var lobby = await Connect("/rooms/lobby");
        var kitchen = await Connect("/rooms/kitchen");
        var foo = await Connect("/websocket");

        foreach (var client in new[] { lobby, kitchen, foo })
        {
            await client.SendAsync("alone?");
            var echo = await client.ReceiveAsync();
            Assert.Equal(Line("alone?", SessionIdOf(echo), Sender, 1), echo);
            await client.ReceiveAsync();
        }
    }

    [Fact]
    public async Task A_client_close_is_answered_with_its_code_and_the_seed_reason_and_the_session_is_removed()
    {
        var leaving = await Connect();
        var staying = await Connect();
        await IdentifyAllAsync(leaving, staying);

        var (status, reason) = await leaving.CloseAsync(4001, "bye");
        Assert.Equal((WebSocketCloseStatus)4001, status);
        Assert.Equal(ClosingReason, reason);

        await AssertCountEventuallyAsync(staying, 1);
    }

    [Fact]
    public async Task A_close_without_status_is_answered_at_once_with_a_close_without_status_and_the_session_is_removed()
    {
        // ClientWebSocket cannot send a close without status (it writes 1005 on the wire), so this client is raw.
        await using var raw = await RawClient.ConnectAsync(Node.Port);
        await raw.UpgradeAsync(Node.Port);
        var staying = await Connect();
        await IdentifyAsync(staying);

        await raw.SendFrameAsync(0x8, []);

        var (code, reason) = await raw.ReadCloseAsync();
        Assert.Null(code);
        Assert.Equal("", reason);
        await AssertCountEventuallyAsync(staying, 1);
    }

    /// <summary>Sends until the room reports <paramref name="expected"/> connections (a close reaches it asynchronously).</summary>
    private static async Task AssertCountEventuallyAsync(TestClient client, int expected)
    {
        var deadline = DateTime.UtcNow + TestClient.DefaultTimeout;
        string echo;
        do
        {
            await client.SendAsync("count");
            echo = await client.ReceiveAsync();
            await client.ReceiveAsync(); // broadcast copy
        } while (!echo.EndsWith($"Total connections: {expected}", StringComparison.Ordinal) && DateTime.UtcNow < deadline);
        Assert.Equal(Line("count", SessionIdOf(echo), Sender, expected), echo);
    }

    [Fact]
    public async Task A_client_that_vanishes_is_removed_from_the_count()
    {
        var vanishing = await Connect();
        var staying = await Connect();
        await IdentifyAllAsync(vanishing, staying);

        vanishing.Abort();

        // The count drops once the room has handled the 1006; wait on that condition, not on time.
        await AssertCountEventuallyAsync(staying, 1);
    }
}

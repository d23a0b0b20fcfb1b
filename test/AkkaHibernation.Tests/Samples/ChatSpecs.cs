using System.Net;
using System.Net.WebSockets;
using AkkaHibernation.Samples.Chat;
using AkkaHibernation.Server.Node;
using AkkaHibernation.Tests.Support;
using Xunit;
using Xunit.Abstractions;
using static AkkaHibernation.Samples.Chat.ChatFrames;

namespace AkkaHibernation.Tests.Samples;

/// <summary>The sample chat room end to end: real server, real sockets, rooms hibernating between messages.</summary>
public sealed class ChatSpecs(ITestOutputHelper output) : NodeSpec(output, "300ms")
{
    protected override HostedRooms ServedRooms => ChatHosting.Rooms(new ChatOptions { HistoryLimit = 3 });

    private async Task<(TestClient Client, Welcome Welcome)> Join(string name, string room = "lobby")
    {
        var client = await Connect($"/parties/chat/{room}?name={Uri.EscapeDataString(name)}");
        return (client, Assert.IsType<Welcome>(await NextFrame(client)));
    }

    private static async Task<Frame> NextFrame(TestClient client) =>
        Decode(await client.ReceiveAsync()) ?? throw new InvalidOperationException("not a chat frame");

    /// <summary>Frames hold lists, which records compare by reference: compare their JSON instead.</summary>
    private static void AssertFrame(Frame expected, Frame actual) => Assert.Equal(Encode(expected), Encode(actual));

    private static Task Say(TestClient client, string text) => client.SendAsync(Encode(new Say(text)));

    private Task AllRoomsHibernated() => Eventually.TrueAsync(
        () => Node.Node.RoomCounters.Resident == 0 && Node.Node.RoomCounters.Hibernations > 0, "every room hibernated");

    [Fact]
    public async Task Joining_and_leaving_are_announced_with_the_members_in_join_order()
    {
        var (alice, welcome) = await Join("alice");
        AssertFrame(new Welcome("alice", ["alice"], []), welcome);

        var (bob, bobWelcome) = await Join("bob");
        Assert.Equal(["alice", "bob"], bobWelcome.Members);
        AssertFrame(new Joined("bob", ["alice", "bob"]), await NextFrame(alice));

        // A second tab of bob's is no news; closing one of two is none either; closing the last one is.
        var (bobAgain, _) = await Join("bob");
        await bobAgain.CloseAsync(1000);
        await bob.CloseAsync(1000);
        AssertFrame(new Left("bob", ["alice"]), await NextFrame(alice));
    }

    [Fact]
    public async Task Messages_reach_everyone_and_the_history_survives_hibernation()
    {
        var (alice, _) = await Join("alice");
        var (bob, _) = await Join("bob");
        await NextFrame(alice); // bob joined

        await Say(alice, "hello bob");
        var line = Assert.IsType<Message>(await NextFrame(bob)).Line;
        Assert.Equal((1, "alice", "hello bob"), (line.Id, line.Name, line.Text));
        Assert.Equal(new Message(line), await NextFrame(alice));

        await AllRoomsHibernated();
        var wakes = Node.Node.RoomCounters.Wakes;
        await Say(bob, "hi alice");
        Assert.Equal("hi alice", Assert.IsType<Message>(await NextFrame(alice)).Line.Text);
        Assert.Equal(wakes + 1, Node.Node.RoomCounters.Wakes);

        await AllRoomsHibernated();
        var (carol, welcome) = await Join("carol");
        Assert.Equal(["alice", "bob", "carol"], welcome.Members);
        Assert.Equal([(1L, "alice", "hello bob"), (2L, "bob", "hi alice")], welcome.History.Select(l => (l.Id, l.Name, l.Text)));
        Assert.True(carol.HasNoPendingFrames);
    }

    [Fact]
    public async Task A_newcomer_gets_the_last_history_limit_messages_oldest_first()
    {
        var (alice, _) = await Join("alice", "busy");
        foreach (var text in new[] { "one", "two", "three", "four", "five" })
        {
            await Say(alice, text);
            await NextFrame(alice);
        }

        var (_, welcome) = await Join("bob", "busy");

        Assert.Equal(["three", "four", "five"], welcome.History.Select(l => l.Text));
    }

    [Fact]
    public async Task Bad_input_gets_a_clear_error_and_changes_nothing()
    {
        var (alice, _) = await Join("alice");

        await alice.SendAsync("not json");
        Assert.Equal(new Error("Send {\"type\":\"say\",\"text\":\"...\"}"), await NextFrame(alice));
        await Say(alice, "   ");
        Assert.Equal(new Error("A message holds 1 to 1000 characters, got 0"), await NextFrame(alice));
        await Say(alice, new string('x', 1001));
        Assert.Equal(new Error("A message holds 1 to 1000 characters, got 1001"), await NextFrame(alice));

        var (_, welcome) = await Join("bob");
        Assert.Empty(welcome.History);

        await alice.SendBinaryAsync([1, 2, 3]);
        Assert.Equal((WebSocketCloseStatus.InvalidMessageType, "Chat accepts text frames only"), await alice.ClosedByServerAsync());
    }

    [Theory]
    [InlineData("/parties/chat/lobby")]
    [InlineData("/parties/chat/lobby?name=")]
    [InlineData("/parties/chat/lobby?name=%3Cscript%3E")]
    public async Task Joining_without_a_valid_name_is_refused_with_400_and_a_reason(string path)
    {
        await using var raw = await RawClient.ConnectAsync(Node.Port);
        var response = await raw.RequestAsync(RawClient.Handshake(Node.Port, path));

        Assert.StartsWith("HTTP/1.1 400", response);
        Assert.EndsWith("Chat needs ?name= with 1 to 32 letters, digits, spaces, '-' or '_'", response);
    }

    [Fact]
    public async Task The_demo_page_is_served_at_demo()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });

        var page = await http.GetAsync(Node.Http("/demo/"));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        Assert.Contains("<script src=\"app.js\"></script>", await page.Content.ReadAsStringAsync());

        var script = await http.GetAsync(Node.Http("/demo/app.js"));
        Assert.Equal("text/javascript", script.Content.Headers.ContentType!.MediaType);
        Assert.Contains("/parties/chat/${room}?name=${name}", await script.Content.ReadAsStringAsync());

        var redirect = await http.GetAsync(Node.Http("/demo"));
        Assert.Equal((HttpStatusCode.MovedPermanently, "/demo/"), (redirect.StatusCode, redirect.Headers.Location!.OriginalString));
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(Node.Http("/demo/nope.js"))).StatusCode);
    }
}

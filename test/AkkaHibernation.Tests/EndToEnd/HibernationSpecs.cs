using System.Net.WebSockets;
using AkkaHibernation.Ids;
using AkkaHibernation.Tests.Support;
using Xunit;
using Xunit.Abstractions;
using static AkkaHibernation.Tests.Support.Seed;

namespace AkkaHibernation.Tests.EndToEnd;

/// <summary>BEHAVIOUR.md, Hibernation: rooms leave memory while sockets stay open, and wake with the same sessions.</summary>
public sealed class HibernationSpecs(ITestOutputHelper output) : NodeSpec(output, idleTimeout: "300ms")
{
    private Task AllRoomsHibernated() => Eventually.TrueAsync(
        () => Node.Node.RoomCounters.Resident == 0 && Node.Node.RoomCounters.Hibernations > 0, "every room hibernated");

    [Fact]
    public async Task An_idle_room_hibernates_and_wakes_on_a_message_with_the_same_sessions()
    {
        var a = await Connect();
        var b = await Connect();
        var (idA, idB) = await IdentifyBothAsync(a, b);
        await AllRoomsHibernated();
        var wakes = Node.Node.RoomCounters.Wakes;

        await b.SendAsync("good morning");

        await ExpectBroadcastAsync("good morning", b, idB, a, total: 2);
        Assert.Equal(wakes + 1, Node.Node.RoomCounters.Wakes);
        Assert.NotEqual(idA, idB);
    }

    [Fact]
    public async Task The_hibernated_rooms_figure_counts_a_room_out_when_it_wakes_and_in_again_when_it_sleeps()
    {
        var a = await Connect();
        await IdentifyAsync(a);
        await Eventually.TrueAsync(() => Node.Node.RoomCounters.Hibernated == 1 && Node.Node.RoomCounters.Resident == 0, "the room asleep and counted");

        await a.SendAsync("wake up");
        await a.ReceiveAsync(2);

        // Had its wake not counted it out, its second sleep would make two.
        await Eventually.TrueAsync(() => Node.Node.RoomCounters.Hibernated == 1 && Node.Node.RoomCounters.Hibernations == 2, "the room asleep again, counted once");
    }

    [Fact]
    public async Task Ping_is_answered_while_the_room_is_hibernated_without_waking_it()
    {
        var a = await Connect();
        await IdentifyAsync(a);
        await AllRoomsHibernated();
        var wakes = Node.Node.RoomCounters.Wakes;

        for (var i = 0; i < 5; i++)
        {
            await a.SendAsync("ping");
            Assert.Equal("pong", await a.ReceiveAsync());
        }

        Assert.Equal(wakes, Node.Node.RoomCounters.Wakes);
        Assert.Equal(0, Node.Node.RoomCounters.Resident);
        Assert.Equal(5, Node.Node.TransportCounters.AutoResponses);
        var stamped = Assert.Single(Node.Node.Registry.InRoom(RoomKey.Default)).LastAutoResponseAt;
        Assert.True(stamped > DateTimeOffset.UtcNow.AddMinutes(-1), "the socket keeps the time of its last auto-response");
    }

    [Fact]
    public async Task A_close_while_hibernated_wakes_the_room_which_answers_it()
    {
        var a = await Connect();
        var b = await Connect();
        var (_, idB) = await IdentifyBothAsync(a, b);
        await AllRoomsHibernated();
        var wakes = Node.Node.RoomCounters.Wakes;

        var (status, reason) = await a.CloseAsync(4002, "leaving");

        Assert.Equal((WebSocketCloseStatus)4002, status);
        Assert.Equal(ClosingReason, reason);
        Assert.True(Node.Node.RoomCounters.Wakes > wakes);
        await b.SendAsync("alone");
        Assert.Equal(Line("alone", idB, Sender, 1), await b.ReceiveAsync());
    }

    [Fact]
    public async Task A_client_that_vanishes_while_the_room_sleeps_is_no_longer_counted()
    {
        var a = await Connect();
        var b = await Connect();
        var (_, idB) = await IdentifyBothAsync(a, b);
        await AllRoomsHibernated();

        a.Abort();
        // The 1006 wakes the room, which removes the session and hibernates again.
        await Eventually.TrueAsync(() => Node.Node.Registry.Count == 1, "the vanished socket released");

        await b.SendAsync("still here");
        Assert.Equal(Line("still here", idB, Sender, 1), await b.ReceiveAsync());
    }

    [Fact]
    public async Task A_new_connection_wakes_the_room_and_counts_the_sleeping_sessions()
    {
        var a = await Connect("/rooms/den");
        var idA = await IdentifyAsync(a);
        await AllRoomsHibernated();

        var c = await Connect("/rooms/den");
        await c.SendAsync("hi");
        var echo = await c.ReceiveAsync();

        Assert.Equal(Line("hi", SessionIdOf(echo), Sender, 2), echo);
        Assert.Equal([Line("hi", SessionIdOf(echo), All, 2), Line("hi", SessionIdOf(echo), Others, 2)], await a.ReceiveAsync(2));
        Assert.NotEqual(idA, SessionIdOf(echo));
    }
}

using AkkaHibernation.Samples.Chat;
using AkkaHibernation.Server.Node;
using AkkaHibernation.Tests.Support;
using Xunit;
using Xunit.Abstractions;
using static AkkaHibernation.Samples.Chat.ChatFrames;

namespace AkkaHibernation.Tests.Samples;

/// <summary>The chat room's periodic announcement: its alarm wakes the hibernated room, which posts and sets the next one.</summary>
public sealed class ChatAnnouncementSpecs(ITestOutputHelper output)
    : NodeSpec(output, "200ms")
{
    protected override HostedRooms ServedRooms => ChatHosting.Rooms(new ChatOptions { AnnouncementInterval = TimeSpan.FromSeconds(2) });

    [Fact]
    public async Task The_alarm_wakes_the_hibernated_room_which_posts_to_everyone_and_keeps_it_in_history()
    {
        var alice = await Connect("/parties/chat/lobby?name=alice");
        Assert.IsType<Welcome>(Decode(await alice.ReceiveAsync()));

        var first = Assert.IsType<Message>(Decode(await alice.ReceiveAsync(TimeSpan.FromSeconds(10)))).Line;
        Assert.Equal((ChatRoom.SystemName, "Daily announcement from #lobby. Messages so far: 0. Be kind."), (first.Name, first.Text));
        // The next announcement is 2 s away and the room sleeps after 200 ms idle: the alarm has to wake it.
        await Eventually.TrueAsync(() => Node.Node.RoomCounters.Resident == 0, "the room hibernated after posting");
        var wakes = Node.Node.RoomCounters.Wakes;

        var second = Assert.IsType<Message>(Decode(await alice.ReceiveAsync(TimeSpan.FromSeconds(10)))).Line;
        Assert.Equal("Daily announcement from #lobby. Messages so far: 1. Be kind.", second.Text);
        Assert.Equal(wakes + 1, Node.Node.RoomCounters.Wakes);

        var bob = await Connect("/parties/chat/lobby?name=bob");
        var welcome = Assert.IsType<Welcome>(Decode(await bob.ReceiveAsync()));
        Assert.Equal([first, second], welcome.History.Take(2));
    }
}

using System.Text.RegularExpressions;
using Akka.Actor;
using Akka.TestKit;
using AkkaHibernation.Actors.Behaviours;
using AkkaHibernation.Actors.Connections;
using AkkaHibernation.Actors.Hibernation;
using AkkaHibernation.Actors.Rooms;
using AkkaHibernation.Actors.Sessions;
using AkkaHibernation.Ids;
using AkkaHibernation.Tests.Support;
using Xunit;
using Xunit.Abstractions;
using static AkkaHibernation.Actors.Hibernation.HibernationProtocol;
using static AkkaHibernation.Actors.Rooms.RoomProtocol;
using static AkkaHibernation.Tests.Support.Seed;
using static AkkaHibernation.Tests.Support.TestIds;

namespace AkkaHibernation.Tests.Actors;

/// <summary>RoomActor against a real SQLite journal: accept, answer, recover, reconcile, snapshot and delete.</summary>
public sealed class RoomActorSpecs : PersistenceSpec
{
    private static readonly HibernationSettings Defaults = new(TimeSpan.FromMinutes(5), 100, 32_768, 16_384);

    private readonly RecordingRegistry _registry = new();
    private readonly TestProbe _parent;
    private readonly TestProbe _channels;
    private readonly RoomKey _room = Room("room" + Guid.NewGuid().ToString("N")[..8]);

    public RoomActorSpecs(ITestOutputHelper output) : base(output)
    {
        _parent = CreateTestProbe();
        _channels = CreateTestProbe();
    }

    private IActorRef StartRoom(HibernationSettings? settings = null, RoomBehaviourFactory? behaviour = null) =>
        StartRecovered(settings, behaviour).Room;

    /// <summary>Starts the room for a node whose run <paramref name="counters"/> stands for; returns what it told its host on recovering.</summary>
    private (IActorRef Room, RoomRecovered Recovered) StartRecovered(
        HibernationSettings? settings = null, RoomBehaviourFactory? behaviour = null, HibernationCounters? counters = null)
    {
        var room = _parent.ChildActorOf(RoomActor.Props(_room, settings ?? Defaults,
            behaviour ?? (context => new WebSocketHibernationServer(context)), _registry, counters));
        return (room, _parent.ExpectMsg<RoomRecovered>(JournalTimeout));
    }

    /// <summary>The passivation handshake as the manager runs it; returns the room's request.</summary>
    private RequestPassivation Hibernate(IActorRef room)
    {
        room.Tell(HibernateNow.Instance);
        var request = _parent.ExpectMsg<RequestPassivation>(JournalTimeout);
        Stop(room);
        return request;
    }

    private IReadOnlyList<string?> Snapshots() =>
        Database.Query($"select cast(snapshot as text) from snapshot where persistence_id = 'room-{_room}' order by sequence_number");

    private void Connect(IActorRef room, string connectionId)
    {
        _registry.Add(new RecordingChannel(connectionId, _channels.Ref));
        room.Tell(new Connect(new ConnectRequest(_room, Id(connectionId), "/websocket", new Dictionary<string, string>())), TestActor);
        ExpectMsg<Accepted>(accepted => accepted.ConnectionId == Id(connectionId), JournalTimeout);
    }

    private void Stop(IActorRef room)
    {
        Watch(room);
        room.Tell(StopRoom.Instance);
        ExpectTerminated(room, JournalTimeout);
    }

    private Dictionary<string, List<string>> SentFrames(int count) =>
        _channels.ReceiveN(count, JournalTimeout).Cast<ChannelCall.Sent>()
            .GroupBy(sent => sent.ConnectionId)
            .ToDictionary(group => group.Key, group => group.Select(sent => sent.Text).ToList());

    /// <summary>The sequence numbers of the room's journal rows not marked deleted, in order.</summary>
    private IReadOnlyList<string?> LiveJournalRows() =>
        Database.Query($"select sequence_number from journal where persistence_id = 'room-{_room}' and deleted = 0 order by sequence_number");

    private IReadOnlyList<string?> JournalRows(string manifest) =>
        Database.Query($"select cast(message as text) from journal where persistence_id = 'room-{_room}' and manifest = '{manifest}' order by sequence_number");

    [Fact]
    public void A_connect_is_persisted_before_it_is_accepted_with_the_rooms_auto_response()
    {
        var room = StartRoom();
        _registry.Add(new RecordingChannel("c1", _channels.Ref));

        room.Tell(new Connect(new ConnectRequest(_room, Id("c1"), "/websocket", new Dictionary<string, string>())), TestActor);

        Assert.Equal(new AutoResponsePair("ping", "pong"), ExpectMsg<Accepted>(JournalTimeout).AutoResponse);
        Assert.Equal(
            ["AutoResponseChanged.v1", "SessionOpened.v1", "AttachmentChanged.v1"],
            Database.Query($"select manifest from journal where persistence_id = 'room-{_room}' order by sequence_number"));
    }

    [Fact]
    public void A_message_goes_out_through_each_sessions_connection_in_the_seed_order()
    {
        var room = StartRoom();
        Connect(room, "c1");
        Connect(room, "c2");

        room.Tell(new Inbound(_room, Id("c1"), RoomMessage.FromText("hi")));

        var frames = SentFrames(4);
        var id = SessionIdOf(frames["c1"][0]);
        Assert.Equal([Line("hi", id, Sender, 2), Line("hi", id, All, 2)], frames["c1"]);
        Assert.Equal([Line("hi", id, All, 2), Line("hi", id, Others, 2)], frames["c2"]);
    }

    [Fact]
    public void Numbered_messages_sent_again_are_handled_once_in_send_order_and_confirmed_behind_their_frames()
    {
        var room = StartRoom();
        Connect(room, "c1");

        // 3 overtakes 1 and 2 (sent again after a node died) and waits for them; then copies of 1 and 3 arrive.
        foreach (var seq in new long[] { 3, 1, 2, 1, 3 })
            room.Tell(new Inbound(_room, Id("c1"), RoomMessage.FromText($"m{seq}"), seq, AckedUpTo: 0));

        var calls = _channels.ReceiveN(2 * 3 + 4, JournalTimeout).ToList();
        var texts = calls.OfType<ChannelCall.Sent>().Select(sent => sent.Text).Where(text => text.Contains($"to: {Sender}.")).ToList();
        Assert.Equal(["m1", "m2", "m3"], texts.Select(text => text.Split(", ")[0].Split(": ")[1]));
        // Nothing is confirmed for the held 3; the copies are confirmed again.
        Assert.Equal([1, 3, 3, 3], calls.OfType<ChannelCall.Acknowledged>().Select(ack => ack.UpTo));
        // Each confirmation follows the frames of the message it confirms.
        Assert.IsType<ChannelCall.Acknowledged>(calls[2]);
        _channels.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void A_numbered_message_its_socket_knows_was_confirmed_is_not_handled_again_by_a_new_incarnation()
    {
        var room = StartRoom();
        Connect(room, "c1");

        room.Tell(new Inbound(_room, Id("c1"), RoomMessage.FromText("old"), 4, AckedUpTo: 4));
        room.Tell(new Inbound(_room, Id("c1"), RoomMessage.FromText("new"), 5, AckedUpTo: 4));

        var calls = _channels.ReceiveN(1 + 2 + 1, JournalTimeout).ToList();
        Assert.Equal(new ChannelCall.Acknowledged("c1", 4), calls[0]);
        Assert.Contains("message: new,", Assert.IsType<ChannelCall.Sent>(calls[1]).Text);
        Assert.Equal(new ChannelCall.Acknowledged("c1", 5), calls[3]);
    }

    private IActorRef? ConnectionOf(IActorRef room, string connectionId)
    {
        Sys.ActorSelection(room.Path / connectionId).Tell(new Identify(connectionId), TestActor);
        return ExpectMsg<ActorIdentity>(identity => Equals(identity.MessageId, connectionId)).Subject;
    }

    [Fact]
    public void Each_accepted_session_is_a_ConnectionActor_child_named_by_its_id_and_a_refused_one_is_not()
    {
        var room = StartRoom(Defaults with { MaxConnectionsPerRoom = 1 });
        Connect(room, "c1");
        _registry.Add(new RecordingChannel("c2", _channels.Ref));
        room.Tell(new Connect(new ConnectRequest(_room, Id("c2"), "/websocket", new Dictionary<string, string>())), TestActor);
        ExpectMsg<Rejected>(JournalTimeout);

        Assert.NotNull(ConnectionOf(room, "c1"));
        Assert.Null(ConnectionOf(room, "c2"));
    }

    [Fact]
    public void Hibernating_retires_the_connection_actors_after_the_frames_already_released_and_leaves_the_sockets_open()
    {
        var room = StartRoom();
        Connect(room, "c1");
        Connect(room, "c2");
        var connection = ConnectionOf(room, "c1")!;
        Watch(connection);
        Watch(room);
        room.Tell(HibernateNow.Instance);
        _parent.ExpectMsg<RequestPassivation>(JournalTimeout);

        // A message the host forwarded before its stop: handled, and its frames reach the sockets before the children go.
        room.Tell(new Inbound(_room, Id("c1"), RoomMessage.FromText("last words")));
        room.Tell(StopRoom.Instance);

        Assert.Equal(4, SentFrames(4).Values.Sum(frames => frames.Count));
        ExpectTerminated(connection, JournalTimeout);
        ExpectTerminated(room, JournalTimeout);
        _channels.ExpectNoMsg(TimeSpan.FromMilliseconds(200)); // no close frame, no release: the sockets stay open
    }

    [Fact]
    public void A_woken_room_makes_a_ConnectionActor_for_every_session_it_reattaches_after_its_first_turn()
    {
        var sessions = ConnectionChildren.Slice + 44; // more than one slice
        var first = StartRoom();
        for (var i = 0; i < sessions; i++)
            Connect(first, $"c{i}");
        Stop(first);

        var second = StartRoom();
        second.Tell(new Inbound(_room, Id("c0"), RoomMessage.FromText("wake")));

        // Its first turn reaches every socket whether or not its child exists yet: two frames each (the seed's lines).
        Assert.All(SentFrames(2 * sessions).Values, frames => Assert.Equal(2, frames.Count));
        AwaitAssert(() => Assert.All(Enumerable.Range(0, sessions), i => Assert.NotNull(ConnectionOf(second, $"c{i}"))),
            JournalTimeout, TimeSpan.FromMilliseconds(100));
        second.Tell(new Inbound(_room, Id("c1"), RoomMessage.FromText("again")));
        Assert.All(SentFrames(2 * sessions).Values, frames => Assert.Equal(2, frames.Count));
        _channels.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void A_room_sleeps_under_a_snapshot_naming_the_nodes_run_so_its_wake_counts_it_out_and_the_node_keeps_nothing_per_room()
    {
        var thisRun = new HibernationCounters();
        var (first, _) = StartRecovered(counters: thisRun);
        Connect(first, "c1");
        Assert.True(Hibernate(first).Counted);
        Assert.Contains($"\"hibernatedBy\":\"{thisRun.RunId}\"", Assert.Single(Snapshots()));

        var (second, woken) = StartRecovered(counters: thisRun);
        Assert.True(woken.HibernatedHere);
        Assert.True(Hibernate(second).Counted); // nothing new: it sleeps under the same snapshot, not written again
        Assert.Contains(thisRun.RunId, Assert.Single(Snapshots()));

        var nextRun = new HibernationCounters(); // the node restarted
        var (third, wokenByNextRun) = StartRecovered(counters: nextRun);
        Assert.False(wokenByNextRun.HibernatedHere); // this run never counted it asleep
        Assert.True(Hibernate(third).Counted);
        Assert.Contains(nextRun.RunId, Assert.Single(Snapshots())); // written again in place, naming the run that counts it
    }

    [Fact]
    public void A_room_that_never_recorded_an_event_sleeps_uncounted_and_leaves_nothing_in_the_journal()
    {
        // Not the seed's room, whose constructor records its auto-response pair: one that records nothing.
        var room = StartRoom(behaviour: _ => new UnregisteredRoom("gone"));

        Assert.False(Hibernate(room).Counted);
        Assert.Empty(Snapshots());
    }

    [Fact]
    public void A_woken_room_recovers_its_sessions_from_the_snapshot_and_the_events_after_it()
    {
        var first = StartRoom();
        Connect(first, "c1");
        Connect(first, "c2");
        first.Tell(new Inbound(_room, Id("c1"), RoomMessage.FromText("before")));
        var idC1 = SessionIdOf(SentFrames(4)["c1"][0]);
        first.Tell(HibernateNow.Instance);
        _parent.ExpectMsg<RequestPassivation>(JournalTimeout);
        Stop(first);

        var second = StartRoom();
        Connect(second, "c3"); // recorded after the snapshot
        Stop(second);          // no snapshot this time: c3 lives only in the events

        var third = StartRoom();
        third.Tell(new Inbound(_room, Id("c1"), RoomMessage.FromText("after")));

        var frames = SentFrames(6);
        Assert.Equal(Line("after", idC1, Sender, 3), frames["c1"][0]);
        Assert.Equal(["c1", "c2", "c3"], frames.Keys.Order());
        Assert.Single(Database.Query($"select sequence_number from snapshot where persistence_id = 'room-{_room}'"));
    }

    [Fact]
    public void Waking_closes_and_persists_the_sessions_whose_socket_is_gone()
    {
        var first = StartRoom();
        Connect(first, "c1");
        Connect(first, "c2");
        Stop(first);
        _registry.Remove("c2");

        var second = StartRoom();
        second.Tell(new Inbound(_room, Id("c1"), RoomMessage.FromText("who is here")));

        var frames = SentFrames(2);
        Assert.EndsWith("Total connections: 1", frames["c1"][0]);
        var closed = Assert.Single(JournalRows("SessionClosed.v1"));
        Assert.Equal("""{"connectionId":"c2","code":1006,"reason":"Socket gone while the room slept","wasClean":false}""", closed);
    }

    [Fact]
    public void The_wake_log_line_counts_apart_the_sessions_restored_gone_and_ended_while_the_room_slept()
    {
        var first = StartRoom();
        Connect(first, "c1");
        Connect(first, "c2");
        Connect(first, "c3");
        Stop(first);
        _registry.Remove("c2");
        _registry.Add(new RecordingChannel("c3", _channels.Ref) { Ended = new ChannelEnd(1001, "left", true) });

        EventFilter.Info(contains: "1 sessions restored, 1 gone, 1 ended while it slept").ExpectOne(() => StartRoom());
    }

    [Fact]
    public void The_wake_log_line_counts_the_garbage_collections_that_ran_while_the_room_woke()
    {
        var first = StartRoom();
        Connect(first, "c1");
        Stop(first);

        // A collection while the behaviour is built: it falls inside the wake, so the line must count it.
        RoomBehaviourFactory collecting = context =>
        {
            GC.Collect();
            return new WebSocketHibernationServer(context);
        };
        EventFilter.Info(new Regex(@"1 sessions restored, .*; GC [1-9]\d* collections, [0-9.]+ ms paused"))
            .ExpectOne(() => StartRoom(behaviour: collecting));
    }

    [Fact]
    public void A_snapshot_deletes_the_journal_rows_it_covers_but_the_newest()
    {
        var room = StartRoom(Defaults with { SnapshotEvery = 4 });
        for (var i = 1; i <= 6; i++)
            Connect(room, $"c{i}"); // 1 + 6 × 2 = 13 events: periodic snapshots along the way

        room.Tell(HibernateNow.Instance);
        _parent.ExpectMsg<RequestPassivation>(JournalTimeout);

        var snapshotAt = long.Parse(Database.Query(
            $"select max(sequence_number) from snapshot where persistence_id = 'room-{_room}'").Single()!);
        Assert.Equal(13, snapshotAt);
        Assert.Equal(["13"], LiveJournalRows());
        Assert.True(long.Parse(Database.Query($"select count(*) from journal where persistence_id = 'room-{_room}'").Single()!) <= 2);
        Assert.Equal("1", Database.Query($"select count(*) from snapshot where persistence_id = 'room-{_room}'").Single());
    }

    [Fact]
    public void An_idle_room_keeps_the_rows_its_snapshot_covers_until_a_snapshot_passes_a_multiple_of_snapshot_every()
    {
        var settings = Defaults with { IdleTimeout = TimeSpan.FromMilliseconds(200), SnapshotEvery = 10 };
        void UseThenSleep(params string[] connectionIds)
        {
            var room = StartRoom(settings);
            foreach (var connectionId in connectionIds)
                Connect(room, connectionId);
            _parent.ExpectMsg<RequestPassivation>(JournalTimeout); // idle
            Stop(room);
        }

        UseThenSleep("c1"); // the auto-response pair, then an open and an attachment per connect: events 1–3
        Assert.Equal(["1", "2", "3"], LiveJournalRows());
        UseThenSleep("c2", "c3", "c4"); // 4–9: the snapshot at 9 passes no multiple of 10 either
        Assert.Equal(["1", "2", "3", "4", "5", "6", "7", "8", "9"], LiveJournalRows());
        UseThenSleep("c5"); // 10–11: the snapshot at 11 passes 10
        Assert.Equal(["11"], LiveJournalRows());
        Assert.Equal("11", Database.Query($"select max(sequence_number) from snapshot where persistence_id = 'room-{_room}'").Single());
    }

    [Fact]
    public void A_room_told_to_hibernate_deletes_the_rows_its_snapshot_covers_between_multiples_too()
    {
        var room = StartRoom(Defaults with { SnapshotEvery = 10 });
        Connect(room, "c1"); // events 1–3

        Hibernate(room); // as a shutdown, a takeover or journal compact does

        Assert.Equal(["3"], LiveJournalRows());
    }

    [Fact]
    public void A_peer_close_is_answered_with_its_code_and_the_session_released()
    {
        var room = StartRoom();
        Connect(room, "c1");

        room.Tell(new Closed(_room, Id("c1"), 4000, "bye", true));

        _channels.ExpectMsg(new ChannelCall.Closed("c1", 4000, ClosingReason), JournalTimeout);
        _channels.ExpectMsg(new ChannelCall.Released("c1"), JournalTimeout);
        Assert.Contains("\"code\":4000", Assert.Single(JournalRows("SessionClosed.v1")));
    }

    [Fact]
    public void A_full_room_refuses_the_next_connection_with_503()
    {
        var room = StartRoom(Defaults with { MaxConnectionsPerRoom = 1 });
        Connect(room, "c1");
        _registry.Add(new RecordingChannel("c2", _channels.Ref));

        room.Tell(new Connect(new ConnectRequest(_room, Id("c2"), "/websocket", new Dictionary<string, string>())), TestActor);

        var rejected = ExpectMsg<Rejected>(JournalTimeout);
        Assert.Equal((503, $"Room '{_room}' is full: it holds 1 connections"), (rejected.Status, rejected.Body));
    }

    /// <summary>Accepts everyone; echoes "ok:text"; throws on "boom".</summary>
    private sealed class Fragile(IRoomContext context) : IRoomBehaviour
    {
        public ConnectResult OnConnect(ConnectRequest request) => ConnectResult.Accept(context.AcceptWebSocket(request));

        public void OnMessage(IHibernatableWebSocket socket, RoomMessage message)
        {
            if (message.Text == "boom")
            {
                socket.SerializeAttachment("written before the failure");
                throw new InvalidOperationException("boom");
            }
            socket.Send("ok:" + message.Text);
        }

        public void OnClose(IHibernatableWebSocket socket, int code, string reason, bool wasClean)
        {
        }
    }

    [Fact]
    public void A_handler_that_throws_closes_its_socket_with_1011_undoes_its_writes_and_the_room_carries_on()
    {
        var room = StartRoom(behaviour: context => new Fragile(context));
        Connect(room, "c1");
        Connect(room, "c2");

        room.Tell(new Inbound(_room, Id("c1"), RoomMessage.FromText("boom")));
        room.Tell(new Inbound(_room, Id("c2"), RoomMessage.FromText("still alive")));

        var calls = _channels.ReceiveN(2, JournalTimeout);
        Assert.Contains(new ChannelCall.Closed("c1", 1011, "Room handler failed"), calls);
        Assert.Contains(new ChannelCall.Sent("c2", "ok:still alive"), calls);
        _parent.ExpectNoMsg(TimeSpan.FromMilliseconds(200)); // no restart: no second RoomRecovered
        Assert.Empty(JournalRows("AttachmentChanged.v1"));
    }
}

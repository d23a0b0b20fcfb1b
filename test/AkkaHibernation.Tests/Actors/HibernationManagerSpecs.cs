using Akka.Actor;
using AkkaHibernation.Actors.Behaviours;
using AkkaHibernation.Actors.Hibernation;
using AkkaHibernation.Actors.Rooms;
using AkkaHibernation.Ids;
using Xunit;
using Xunit.Abstractions;
using static AkkaHibernation.Actors.Hibernation.HibernationProtocol;
using static AkkaHibernation.Actors.Rooms.RoomProtocol;
using static AkkaHibernation.Tests.Support.TestIds;

namespace AkkaHibernation.Tests.Actors;

/// <summary>
/// The manager's passivation handshake, driven step by step with a stand-in room whose stop the spec controls,
/// so "an envelope arrives while the room is stopping" happens every time, not by luck.
/// </summary>
public sealed class HibernationManagerSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output)
{
    private sealed record Received(int Incarnation, IActorRef Room, object Envelope);

    private sealed record StopRequested(int Incarnation, IActorRef Room);

    private sealed record AskToPassivate;

    private sealed record FinishStopping;

    /// <summary>Reports every envelope; asks to passivate when told; stops only when the spec says so.</summary>
    private sealed class StandInRoom : ReceiveActor
    {
        public StandInRoom(int incarnation, IActorRef probe)
        {
            Receive<IRoomEnvelope>(envelope => probe.Tell(new Received(incarnation, Self, envelope)));
            Receive<AskToPassivate>(_ => Context.Parent.Tell(RequestPassivation.Snapshotted));
            Receive<HibernateNow>(_ => Context.Parent.Tell(RequestPassivation.Snapshotted));
            Receive<StopRoom>(_ => probe.Tell(new StopRequested(incarnation, Self)));
            Receive<FinishStopping>(_ => Context.Stop(Self));
        }
    }

    private readonly HibernationCounters _counters = new();
    private int _incarnations;

    private IActorRef Manager(int maxResidentRooms = 0, bool held = false) => Sys.ActorOf(HibernationManager.Props(
        _ => Props.Create(() => new StandInRoom(Interlocked.Increment(ref _incarnations), TestActor)), _counters, maxResidentRooms, held: held));

    private static Inbound Message(string room, string text) => new(Room(room), Id("c1"), RoomMessage.FromText(text));

    [Fact]
    public void Envelopes_that_arrive_while_a_room_stops_go_in_order_to_its_next_incarnation()
    {
        var manager = Manager();
        manager.Tell(Message("r", "m1"));
        var first = ExpectMsg<Received>();
        Assert.Equal((1, Message("r", "m1")), (first.Incarnation, first.Envelope));

        first.Room.Tell(new AskToPassivate());
        ExpectMsg<StopRequested>(stop => stop.Incarnation == 1);
        manager.Tell(Message("r", "m2"));
        manager.Tell(Message("r", "m3"));
        ExpectNoMsg(TimeSpan.FromMilliseconds(200)); // buffered: the stopping room must not get them
        first.Room.Tell(new FinishStopping());

        var m2 = ExpectMsg<Received>();
        var m3 = ExpectMsg<Received>();
        Assert.Equal((2, Message("r", "m2")), (m2.Incarnation, m2.Envelope));
        Assert.Equal((2, Message("r", "m3")), (m3.Incarnation, m3.Envelope));
        AwaitAssert(() => Assert.Equal((2L, 1L, 1L), (_counters.Wakes, _counters.Hibernations, _counters.Resident)));
    }

    [Fact]
    public void An_envelope_racing_the_handshake_is_delivered_exactly_once_whichever_way_the_race_goes()
    {
        for (var round = 0; round < 20; round++)
        {
            var manager = Manager();
            var room = $"race{round}";
            manager.Tell(Message(room, "m1"));
            var first = ExpectMsg<Received>();

            // The room's RequestPassivation and m2 race to the manager.
            first.Room.Tell(new AskToPassivate());
            manager.Tell(Message(room, "m2"));

            var deliveries = new List<Received>();
            StopRequested? stop = null;
            while (stop is null)
            {
                var next = ExpectMsg<object>();
                if (next is Received received) deliveries.Add(received);
                else stop = (StopRequested)next;
            }
            first.Room.Tell(new FinishStopping());
            if (deliveries.Count == 0)
                deliveries.Add(ExpectMsg<Received>()); // it was buffered: the next incarnation gets it
            ExpectNoMsg(TimeSpan.FromMilliseconds(100));

            var m2 = Assert.Single(deliveries);
            Assert.Equal(Message(room, "m2"), m2.Envelope);
        }
    }

    [Fact]
    public void A_room_that_stops_with_nothing_buffered_is_hibernated_and_started_again_on_demand()
    {
        var manager = Manager();
        manager.Tell(Message("r", "m1"));
        var room = ExpectMsg<Received>().Room;
        room.Tell(new AskToPassivate());
        ExpectMsg<StopRequested>();
        room.Tell(new FinishStopping());
        AwaitAssert(() => Assert.Equal((0L, 1L), (_counters.Resident, _counters.Hibernations)));

        manager.Tell(Message("r", "m2"));

        Assert.Equal(2, ExpectMsg<Received>().Incarnation);
        Assert.Equal(1, _counters.Resident);
    }

    [Fact]
    public void Rooms_are_independent()
    {
        var manager = Manager();
        manager.Tell(Message("a", "x"));
        manager.Tell(Message("b", "y"));
        var rooms = ReceiveN(2).Cast<Received>().ToList();

        Assert.NotEqual(rooms[0].Room, rooms[1].Room);
        Assert.Equal(2, _counters.Resident);
    }

    [Fact]
    public void HibernateAll_answers_once_every_room_has_stopped()
    {
        var manager = Manager();
        manager.Tell(Message("a", "x"));
        manager.Tell(Message("b", "y"));
        var rooms = ReceiveN(2).Cast<Received>().Select(r => r.Room).ToList();

        manager.Tell(HibernateAll.Instance);
        var stops = ReceiveN(2).Cast<StopRequested>().ToList();
        Assert.Equal(rooms.ToHashSet(), stops.Select(s => s.Room).ToHashSet());
        rooms[0].Tell(new FinishStopping());
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        rooms[1].Tell(new FinishStopping());

        ExpectMsg<AllHibernated>();
    }

    [Fact]
    public void Held_rooms_hibernate_and_what_arrives_meanwhile_waits_in_order_until_they_are_released()
    {
        var manager = Manager();
        manager.Tell(Message("a", "1"));
        var a = ExpectMsg<Received>().Room;

        manager.Tell(HoldRooms.Instance);
        ExpectMsg<StopRequested>(stop => stop.Room.Equals(a));
        manager.Tell(Message("a", "2")); // a is stopping: buffered for it
        manager.Tell(Message("b", "1")); // b sleeps: held
        a.Tell(new FinishStopping());
        ExpectMsg<RoomsHeld>();
        manager.Tell(Message("a", "3"));
        ExpectNoMsg(TimeSpan.FromMilliseconds(200)); // no room starts while held
        Assert.Equal(0, _counters.Resident);

        manager.Tell(ReleaseRooms.Instance);
        var delivered = ReceiveN(3).Cast<Received>().Select(r => (Inbound)r.Envelope).ToList();
        // Order holds per room (two rooms run side by side).
        Assert.Equal([Message("a", "2"), Message("a", "3")], delivered.Where(e => e.Room == Room("a")));
        Assert.Equal([Message("b", "1")], delivered.Where(e => e.Room == Room("b")));
    }

    [Fact]
    public void A_manager_started_held_runs_no_room_until_released()
    {
        var manager = Manager(held: true);
        manager.Tell(Message("a", "1"));
        manager.Tell(Message("a", "2"));
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        manager.Tell(ReleaseRooms.Instance);
        Assert.Equal([Message("a", "1"), Message("a", "2")], ReceiveN(2).Cast<Received>().Select(r => r.Envelope).ToList());
    }

    [Fact]
    public void Past_the_resident_cap_the_least_recently_used_room_hibernates_early()
    {
        var manager = Manager(maxResidentRooms: 2);
        manager.Tell(Message("a", "1"));
        var a = ExpectMsg<Received>().Room;
        manager.Tell(Message("b", "1"));
        ExpectMsg<Received>();
        manager.Tell(Message("a", "2")); // a is now more recently used than b
        ExpectMsg<Received>();

        manager.Tell(Message("c", "1"));

        var next = ReceiveN(2);
        var stop = Assert.Single(next.OfType<StopRequested>());
        Assert.NotEqual(a, stop.Room);
        Assert.Equal(Message("c", "1"), Assert.Single(next.OfType<Received>()).Envelope);
    }
}

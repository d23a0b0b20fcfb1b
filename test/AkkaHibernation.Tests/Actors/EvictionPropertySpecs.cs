using System.Collections.Concurrent;
using Akka.Actor;
using AkkaHibernation.Actors.Behaviours;
using AkkaHibernation.Actors.Hibernation;
using AkkaHibernation.Ids;
using CsCheck;
using Xunit;
using Xunit.Abstractions;
using static AkkaHibernation.Actors.Hibernation.HibernationProtocol;
using static AkkaHibernation.Actors.Rooms.RoomProtocol;
using static AkkaHibernation.Tests.Support.TestIds;

namespace AkkaHibernation.Tests.Actors;

/// <summary>
/// Property: whatever the interleaving of sends and evictions, every envelope reaches its room exactly once and in
/// the order sent. 1,000 random scenarios (CsCheck prints the seed of a failing one, so it can be replayed).
/// </summary>
public sealed class EvictionPropertySpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output)
{
    private const int Scenarios = 1000;
    private static readonly RoomKey[] Rooms = [Room("a"), Room("b"), Room("c")];

    private sealed record Delivered(RoomKey Room, int Number);

    private sealed record AskToPassivate;

    /// <summary>Logs what it gets; asks to passivate when told; stops at once on StopRoom.</summary>
    private sealed class LoggingRoom : ReceiveActor
    {
        public LoggingRoom(RoomKey room, ConcurrentQueue<Delivered> log, ConcurrentDictionary<RoomKey, IActorRef> incarnations)
        {
            incarnations[room] = Self;
            Receive<Inbound>(inbound => log.Enqueue(new Delivered(inbound.Room, int.Parse(inbound.Message.Text!))));
            Receive<AskToPassivate>(_ => Context.Parent.Tell(RequestPassivation.Snapshotted));
            Receive<StopRoom>(_ => Context.Stop(Self));
        }
    }

    /// <summary>An operation: send the next number to a room, or ask a room's current incarnation to passivate.</summary>
    private sealed record Step(bool Evict, int Room, int PauseTicks);

    [Fact]
    public void Every_envelope_arrives_once_and_in_order_whatever_the_evictions()
    {
        var steps = Gen.Select(Gen.Bool, Gen.Int[0, Rooms.Length - 1], Gen.Int[0, 3], (evict, room, pause) => new Step(evict, room, pause))
            .Array[10, 60];
        steps.Sample(RunScenario, iter: Scenarios, threads: 1);
    }

    private void RunScenario(Step[] scenario)
    {
        var log = new ConcurrentQueue<Delivered>();
        var incarnations = new ConcurrentDictionary<RoomKey, IActorRef>();
        var manager = Sys.ActorOf(HibernationManager.Props(
            room => Props.Create(() => new LoggingRoom(room, log, incarnations)), new HibernationCounters()));
        var sent = Rooms.ToDictionary(room => room, _ => new List<int>());
        try
        {
            var next = 0;
            foreach (var step in scenario)
            {
                var room = Rooms[step.Room];
                if (step.Evict && incarnations.TryGetValue(room, out var incarnation))
                {
                    incarnation.Tell(new AskToPassivate());
                }
                else
                {
                    sent[room].Add(next);
                    manager.Tell(new Inbound(room, Id("c"), RoomMessage.FromText((next++).ToString())));
                }
                for (var spin = 0; spin < step.PauseTicks * 200; spin++)
                    Thread.SpinWait(10); // small, varied pauses shift where the evictions land
            }

            var expected = sent.Values.Sum(list => list.Count);
            AwaitCondition(() => log.Count >= expected, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(1));
            // Stop everything: once the manager and its rooms are gone, nothing more can arrive.
            Watch(manager);
            Sys.Stop(manager);
            ExpectTerminated(manager);
            Assert.Equal(expected, log.Count); // nothing duplicated
            foreach (var room in Rooms)
                Assert.Equal(sent[room], log.Where(d => d.Room == room).Select(d => d.Number).ToList());
        }
        finally
        {
            Sys.Stop(manager); // a no-op when the scenario already stopped it
        }
    }
}

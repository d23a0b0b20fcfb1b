using Akka.Actor;
using Akka.Configuration;
using AkkaHibernation.Actors.Behaviours;
using AkkaHibernation.Actors.Hibernation;
using AkkaHibernation.Actors.Rooms;
using AkkaHibernation.Ids;
using BenchmarkDotNet.Attributes;

namespace AkkaHibernation.MicroBench;

/// <summary>
/// One message to a resident seed room of N sessions, from the room's mailbox to the last of its 2·N frames
/// handed to a client channel: the room's handler and the channels' Send, which the room calls directly. The
/// journal is Akka's in-memory one; the seed's message handler records no events, so it is not on this path.
/// </summary>
[ShortRunJob]
[MemoryDiagnoser]
public class RoomFanOutBenchmarks
{
    private static readonly RoomKey Room = new(null, "bench");
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private ActorSystem _system = null!;
    private IActorRef _room = null!;
    private readonly FrameCountdown _countdown = new();
    private RoomProtocol.Inbound _message = null!;

    [Params(10, 100, 1000)]
    public int Sessions { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _system = ActorSystem.Create("fanout-bench", ConfigurationFactory.ParseString("""
            akka.loglevel = WARNING
            akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
            akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
            """));
        var registry = new CountingRegistry();
        // Resident for the whole run: a long idle timeout, and snapshots far apart.
        var settings = new HibernationSettings(TimeSpan.FromHours(1), SnapshotEvery: 1_000_000, MaxConnectionsPerRoom: 32768, MaxAttachmentBytes: 16384);
        _room = _system.ActorOf(RoomActor.Props(Room, settings, context => new WebSocketHibernationServer(context), registry));

        SampleRoom.Connect(_room, Room, Sessions, registry, _countdown, Timeout);
        _message = new RoomProtocol.Inbound(Room, new ConnectionId("conn-0"), RoomMessage.FromText("hello"));
        // One broadcast before measuring, so first-use costs (JIT, encode caches) are not measured.
        Broadcast().Wait(Timeout);
    }

    [GlobalCleanup]
    public void Cleanup() => _system.Terminate().Wait(Timeout);

    /// <summary>The sender gets its own line and the broadcast, every other session the broadcast and the "others" line.</summary>
    [Benchmark]
    public Task Broadcast()
    {
        var delivered = _countdown.Expect(2 * Sessions);
        _room.Tell(_message);
        return delivered;
    }
}

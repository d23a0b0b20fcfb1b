using Akka.Actor;
using Akka.Configuration;
using AkkaHibernation.Actors.Behaviours;
using AkkaHibernation.Actors.Hibernation;
using AkkaHibernation.Actors.Rooms;
using AkkaHibernation.Ids;
using AkkaHibernation.Server.Journal;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace AkkaHibernation.MicroBench;

/// <summary>
/// A warm wake of a hibernated seed room of N sessions, in process, on the shipped persistence config over a real
/// SQLite file: the message reaches the hibernation manager, the room recovers its snapshot through
/// Akka.Persistence.Sql, re-attaches its sessions, builds the seed's behaviour and handles the message; measured to
/// the last of its 2·N frames handed to a client channel. What it leaves out of the server's wake: the sockets (the
/// channels only count frames) and the clients. Each iteration first hibernates the room (not measured). With
/// <see cref="Plugin"/> <c>inmem</c> the same wake runs on Akka's in-memory journal and snapshot store, so the two
/// rows' difference is what the SQL plugin costs a wake.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 20, iterationCount: 60)]
[MemoryDiagnoser]
public class WakeBenchmarks
{
    private static readonly RoomKey Room = new(null, "bench");
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly FrameCountdown _countdown = new();
    private ShippedJournal _database = null!;
    private ActorSystem _system = null!;
    private IActorRef _manager = null!;
    private RoomProtocol.Inbound _message = null!;

    [Params(10, 1000)]
    public int Sessions { get; set; }

    /// <summary><c>sql</c>: the shipped Akka.Persistence.Sql over SQLite; <c>inmem</c>: Akka's in-memory plugins.</summary>
    [Params("sql", "inmem")]
    public string Plugin { get; set; } = "sql";

    private bool OnSql => Plugin == "sql";

    [GlobalSetup]
    public void Setup()
    {
        _database = new ShippedJournal();
        var fullConfig = _database.Config;
        if (!OnSql)
            fullConfig = ConfigurationFactory.ParseString("""
                akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
                akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
                """).WithFallback(fullConfig);
        _system = ActorSystem.Create("wake-bench", _database.Store.SystemSetup(fullConfig));
        if (OnSql)
            JournalWarmup.RunAsync(_system, _database.Store, Timeout).Wait(Timeout);
        RoomRecoveryWarmup.Run();

        var registry = new CountingRegistry();
        var settings = HibernationSettings.FromConfig(fullConfig) with { IdleTimeout = TimeSpan.FromHours(1) };
        _manager = _system.ActorOf(HibernationManager.Props(settings, RoomTypes.Seed, registry, new HibernationCounters()), "rooms");
        SampleRoom.Connect(_manager, Room, Sessions, registry, _countdown, Timeout);
        _message = new RoomProtocol.Inbound(Room, new ConnectionId("conn-0"), RoomMessage.FromText("hello"));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _system.Terminate().Wait(Timeout);
        _database.Dispose();
    }

    /// <summary>The room hibernates (under its snapshot), and the manager is ready to start it again.</summary>
    [IterationSetup]
    public void Hibernate()
    {
        _manager.Ask<HibernationProtocol.RoomsHeld>(HibernationProtocol.HoldRooms.Instance, Timeout).Wait(Timeout);
        _manager.Tell(HibernationProtocol.ReleaseRooms.Instance);
    }

    /// <summary>The sender gets its own line and the broadcast, every other session the broadcast and the "others" line.</summary>
    [Benchmark]
    public void Wake()
    {
        var delivered = _countdown.Expect(2 * Sessions);
        _manager.Tell(_message);
        if (!delivered.Wait(Timeout))
            throw new TimeoutException($"The woken room sent {2 * Sessions} frames in none of {Timeout}");
    }
}

using Akka.Actor;
using AkkaHibernation.Actors.Rooms;
using AkkaHibernation.Actors.Serialization;
using BenchmarkDotNet.Attributes;

namespace AkkaHibernation.MicroBench;

/// <summary>
/// The in-process part of a wake's journal step: a stored snapshot row of N sessions turned into the room's
/// state (deserialize, then build the session map). The SQLite reads around it are not included.
/// </summary>
[ShortRunJob]
[MemoryDiagnoser]
public class WakeRecoveryBenchmarks
{
    private const string Manifest = "RoomSnapshot.v1";

    private ActorSystem _system = null!;
    private JournalSerializer _serializer = null!;
    private byte[] _row = null!;

    [Params(1000, 5000)]
    public int Sessions { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _system = ActorSystem.Create("recovery-bench");
        _serializer = new JournalSerializer((ExtendedActorSystem)_system);
        _row = _serializer.ToBinary(SampleRoom.Snapshot(Sessions));
    }

    [GlobalCleanup]
    public void Cleanup() => _system.Terminate().Wait();

    [Benchmark]
    public RoomState SnapshotRowToRoomState() => RoomState.FromSnapshot((RoomSnapshot)_serializer.FromBinary(_row, Manifest));
}

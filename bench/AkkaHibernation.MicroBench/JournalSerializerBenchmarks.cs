using Akka.Actor;
using AkkaHibernation.Actors.Serialization;
using BenchmarkDotNet.Attributes;

namespace AkkaHibernation.MicroBench;

/// <summary>
/// The journal serializer on what a room writes and a wake reads: a 1,000-session snapshot (the JSON parse a wake
/// pays before the first frame) and single events.
/// </summary>
[ShortRunJob]
[MemoryDiagnoser]
public class JournalSerializerBenchmarks
{
    private const int Sessions = 1000;

    private ActorSystem _system = null!;
    private JournalSerializer _serializer = null!;
    private object _snapshot = null!;
    private byte[] _snapshotBytes = null!;
    private string _snapshotManifest = null!;
    private object _opened = null!;
    private byte[] _openedBytes = null!;
    private string _openedManifest = null!;
    private object _attached = null!;
    private byte[] _attachedBytes = null!;
    private string _attachedManifest = null!;

    [GlobalSetup]
    public void Setup()
    {
        _system = ActorSystem.Create("serializer-bench");
        _serializer = new JournalSerializer((ExtendedActorSystem)_system);
        (_snapshot, _snapshotBytes, _snapshotManifest) = Stored(SampleRoom.Snapshot(Sessions));
        (_opened, _openedBytes, _openedManifest) = Stored(SampleRoom.SessionOpened());
        (_attached, _attachedBytes, _attachedManifest) = Stored(SampleRoom.AttachmentChanged());
    }

    [GlobalCleanup]
    public void Cleanup() => _system.Terminate().Wait();

    [Benchmark]
    public byte[] SnapshotToBinary() => _serializer.ToBinary(_snapshot);

    [Benchmark]
    public object SnapshotFromBinary() => _serializer.FromBinary(_snapshotBytes, _snapshotManifest);

    /// <summary>The generic System.Text.Json path: how every snapshot was read before the dedicated reader, and its fallback.</summary>
    [Benchmark]
    public object? SnapshotFromBinaryGeneric() =>
        System.Text.Json.JsonSerializer.Deserialize<Actors.Rooms.RoomSnapshot>(_snapshotBytes, JournalSerializer.JsonOptions);

    [Benchmark]
    public byte[] SessionOpenedToBinary() => _serializer.ToBinary(_opened);

    [Benchmark]
    public object SessionOpenedFromBinary() => _serializer.FromBinary(_openedBytes, _openedManifest);

    [Benchmark]
    public byte[] AttachmentChangedToBinary() => _serializer.ToBinary(_attached);

    [Benchmark]
    public object AttachmentChangedFromBinary() => _serializer.FromBinary(_attachedBytes, _attachedManifest);

    private (object Payload, byte[] Bytes, string Manifest) Stored(object payload) =>
        (payload, _serializer.ToBinary(payload), _serializer.Manifest(payload));
}

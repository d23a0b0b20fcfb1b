using Akka.Actor;
using AkkaHibernation.Actors.Serialization;
using AkkaHibernation.Actors.Sessions;
using AkkaHibernation.Ids;
using BenchmarkDotNet.Attributes;
using static AkkaHibernation.Actors.Cluster.EdgeProtocol;

namespace AkkaHibernation.MicroBench;

/// <summary>
/// Cluster mode: the wire cost of a room broadcasting one seed-sized line to N sockets held by another node, as one
/// message per socket (a single-command batch each, how a turn went out before batching) against one batch per node.
/// </summary>
[ShortRunJob]
[MemoryDiagnoser]
public class WireFanOutBenchmarks
{
    private ActorSystem _system = null!;
    private WireSerializer _serializer = null!;
    private EdgeBatch[] _perSocket = null!;
    private EdgeBatch _batched = null!;

    [Params(100, 1000)]
    public int Sockets { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _system = ActorSystem.Create("wire-bench");
        _serializer = new WireSerializer((ExtendedActorSystem)_system);
        var line = new ChannelCommand.Deliver(OutboundFrame.Text(
            "[Durable Object] message: hello, from: 0b6f4c52-5a43-4f0e-9d3c-3f1d0b2a9c11, to: all clients. Total connections: 1000"));
        var ids = Enumerable.Range(0, Sockets).Select(_ => ConnectionId.New()).ToArray();
        _perSocket = ids.Select(id => EdgeBatch.Single(id, line)).ToArray();
        _batched = new EdgeBatch([line], ids.Select(id => new EdgeBatch.Item(id, 0)).ToArray());
    }

    [GlobalCleanup]
    public void Cleanup() => _system.Terminate().Wait();

    [Benchmark(Baseline = true)]
    public int OneMessagePerSocket()
    {
        var bytes = 0;
        foreach (var message in _perSocket)
            bytes += _serializer.ToBinary(message).Length;
        return bytes;
    }

    [Benchmark]
    public int OneBatchPerNode() => _serializer.ToBinary(_batched).Length;
}

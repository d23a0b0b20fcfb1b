using System.IO.Compression;
using System.Text;
using AkkaHibernation.Transport.Compression;
using BenchmarkDotNet.Attributes;

namespace AkkaHibernation.MicroBench;

/// <summary>
/// permessage-deflate's cost for one message as the server pays it: deflating an outbound message with a fresh zlib
/// state (once per broadcast), inflating an inbound one, each against copying the same bytes (what an uncompressed
/// frame costs beyond its header).
/// </summary>
[ShortRunJob]
[MemoryDiagnoser]
public class MessageDeflateBenchmarks
{
    private static readonly byte[] Line = Encoding.UTF8.GetBytes(
        "[Durable Object] message: c1-m100000-xxxxxxxxxxxxxxxx, from: 0f8fad5b-d9cb-469f-a165-70867728950e, to: all clients. Total connections: 100");

    private byte[] _message = null!;
    private byte[] _deflated = null!;

    [Params(1200, 16384)]
    public int MessageBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _message = Enumerable.Range(0, MessageBytes).Select(i => Line[i % Line.Length]).ToArray();
        _deflated = MessageDeflate.Deflate(_message, CompressionLevel.Fastest)!;
    }

    [Benchmark(Baseline = true)]
    public int Copy() => _message.AsSpan().ToArray().Length;

    [Benchmark]
    public int DeflateFastest() => MessageDeflate.Deflate(_message, CompressionLevel.Fastest)!.Length;

    [Benchmark]
    public int Inflate()
    {
        using var inflated = MessageDeflate.Inflate(_deflated, int.MaxValue - 1);
        return inflated.Length;
    }
}

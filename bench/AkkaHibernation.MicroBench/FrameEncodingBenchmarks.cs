using System.Buffers;
using System.Text;
using AkkaHibernation.Transport.Framing;
using BenchmarkDotNet.Attributes;

namespace AkkaHibernation.MicroBench;

/// <summary>
/// Server frame encoding as a socket's writer does it: one burst of queued frames (all the same broadcast line,
/// or one large message) measured, rented and written into one buffer.
/// </summary>
[ShortRunJob]
[MemoryDiagnoser]
public class FrameEncodingBenchmarks
{
    // A seed room line for a 10-character message (about 120 bytes); longer payloads repeat it.
    private static readonly byte[] Line = Encoding.UTF8.GetBytes(
        "[Durable Object] message: c1-m100000, from: 0f8fad5b-d9cb-469f-a165-70867728950e, to: all clients. Total connections: 100");

    private byte[] _payload = null!;

    /// <summary>Frames in one write, each of <see cref="PayloadBytes"/>.</summary>
    [Params(1, 64)]
    public int Frames { get; set; }

    [Params(120, 65536)]
    public int PayloadBytes { get; set; }

    [GlobalSetup]
    public void Setup() => _payload = Enumerable.Range(0, PayloadBytes).Select(i => Line[i % Line.Length]).ToArray();

    [Benchmark]
    public int EncodeBurst()
    {
        var length = 0;
        for (var i = 0; i < Frames; i++)
            length += FrameEncoder.FrameLength(_payload.Length);
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        var written = 0;
        for (var i = 0; i < Frames; i++)
            written += FrameEncoder.Write(buffer.AsSpan(written), Opcode.Text, _payload);
        ArrayPool<byte>.Shared.Return(buffer);
        return written;
    }
}

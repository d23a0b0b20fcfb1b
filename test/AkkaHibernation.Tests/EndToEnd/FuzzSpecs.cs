using System.Net.Sockets;
using System.Text;
using AkkaHibernation.Tests.Support;
using Xunit;
using Xunit.Abstractions;
using static AkkaHibernation.Tests.Support.Seed;

namespace AkkaHibernation.Tests.EndToEnd;

/// <summary>
/// A bounded fuzz loop with a fixed seed: garbage HTTP and random frames after a valid upgrade. Whatever arrives,
/// the server answers or closes, keeps serving, and leaks no socket.
/// </summary>
public sealed class FuzzSpecs(ITestOutputHelper output) : NodeSpec(output, "10s", "akka-hibernation.transport.max-message-bytes = 64KiB")
{
    private const int Seed = 20261127;
    private const int Rounds = 150;

    [Fact]
    public async Task Random_bytes_never_crash_or_leak_and_the_server_keeps_serving()
    {
        var random = new Random(Seed);
        for (var round = 0; round < Rounds; round++)
        {
            using var tcp = new TcpClient { NoDelay = true };
            await tcp.ConnectAsync("127.0.0.1", Node.Port);
            var stream = tcp.GetStream();
            if (random.Next(3) == 0)
            {
                await stream.WriteAsync(RandomHttp(random));
            }
            else
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes(RawClient.Handshake(Node.Port, $"/rooms/fuzz{round % 5}")));
                await stream.WriteAsync(RandomFrames(random));
            }
            await DrainBrieflyAsync(stream);
        }

        await Eventually.TrueAsync(() => Node.Node.Registry.Count == 0 && Node.Node.TransportCounters.ConnectionsOpen == 0,
            $"every fuzzed socket released (seed {Seed})", TimeSpan.FromSeconds(30));
        var client = await Connect();
        await client.SendAsync("after the fuzz");
        var echo = await client.ReceiveAsync();
        Assert.Equal(Line("after the fuzz", SessionIdOf(echo), Sender, 1), echo);
    }

    private static byte[] RandomHttp(Random random)
    {
        var pieces = new[] { "GET", "POST", " ", "/websocket", "/rooms/", "HTTP/1.1", "\r\n", "Upgrade: websocket", ":", "\0", "é", "Content-Length: 5" };
        var text = new StringBuilder();
        for (var i = random.Next(1, 20); i > 0; i--)
            text.Append(pieces[random.Next(pieces.Length)]);
        return Encoding.UTF8.GetBytes(text.Append("\r\n\r\n").ToString());
    }

    private static byte[] RandomFrames(Random random)
    {
        var bytes = new List<byte>();
        for (var frame = random.Next(1, 6); frame > 0; frame--)
        {
            // Mostly well-formed headers with random bits flipped, sometimes pure noise.
            if (random.Next(4) == 0)
            {
                bytes.AddRange(Enumerable.Range(0, random.Next(1, 64)).Select(_ => (byte)random.Next(256)));
                continue;
            }
            var first = (byte)(random.Next(2) == 0 ? 0x81 : random.Next(256));
            var length = random.Next(4) == 0 ? random.Next(126, 200_000) : random.Next(0, 126);
            bytes.Add(first);
            if (length < 126)
            {
                bytes.Add((byte)(0x80 | length));
            }
            else
            {
                bytes.Add(0x80 | 127);
                bytes.AddRange(BitConverter.GetBytes((ulong)length).Reverse());
            }
            bytes.AddRange(Enumerable.Range(0, 4).Select(_ => (byte)random.Next(256)));
            bytes.AddRange(Enumerable.Range(0, Math.Min(length, 256)).Select(_ => (byte)random.Next(256)));
        }
        return bytes.ToArray();
    }

    /// <summary>Reads what the server answers for a moment, then the client goes away (FIN), as most bad clients do.</summary>
    private static async Task DrainBrieflyAsync(NetworkStream stream)
    {
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        try
        {
            while (await stream.ReadAsync(buffer, timeout.Token) > 0)
            {
            }
        }
        catch (Exception error) when (error is OperationCanceledException or IOException)
        {
            // the server still waits for more bytes, or reset the connection: both fine
        }
    }
}

using System.Diagnostics;

namespace AkkaHibernation.Bench.Scenarios;

/// <summary>
/// C clients in room "foo", each sending M messages one at a time (the next only after its own echo), all at once.
/// Measures frames received per second by all clients and the own-echo latency; checks every frame arrived. With a
/// cluster the clients are spread over its nodes, so most of the room's frames cross nodes. Messages are padded to
/// <see cref="Options.MessageBytes"/> (so the seed's lines can pass the compression threshold), and with
/// <see cref="Options.Deflate"/> the clients offer permessage-deflate; bytes on the wire per frame are reported.
/// </summary>
public static class FanOut
{
    private static readonly TimeSpan EchoTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The idle timeout the host runs with: longer than any run, so the room never hibernates mid-run.</summary>
    public const string IdleTimeout = "10s";

    public sealed record Options(int Clients = 10, int Messages = 500, int MessageBytes = 0, bool Deflate = false);

    public static async Task<RunResult> RunOnceAsync(ServerCommand command, Options options, ServerGroup.Cluster? cluster = null)
    {
        var (clients, messages) = (options.Clients, options.Messages);
        await using var servers = await ServerGroup.StartAsync(command, cluster);
        Console.WriteLine($"== fanout against {servers.Describe(command.Target)}: {clients} clients x {messages} messages, room foo" +
                          $"{(options.MessageBytes > 0 ? $", messages padded to {options.MessageBytes} bytes" : "")}{(options.Deflate ? ", permessage-deflate" : "")}");
        FdLimit.Require(clients);

        var expectedPerClient = 2L * messages * clients; // 2*M own lines + 2*M*(C-1) lines about the others
        var expectedTotal = expectedPerClient * clients;
        var pending = new TaskCompletionSource<(long At, string Message)>?[clients];
        var total = 0L;
        var drained = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);

        void OnFrame(BenchClient client, string text, long at)
        {
            if (Interlocked.Increment(ref total) == expectedTotal)
                drained.TrySetResult(at);
            var frame = Frame.Parse(text);
            if (frame.Kind == FrameKind.Own)
                Volatile.Read(ref pending[client.Index])?.TrySetResult((at, frame.Message));
        }

        await using var pool = new ClientPool(options.Deflate);
        try
        {
            await pool.OpenAsync(clients, servers.DefaultRoomFor, OnFrame);

            var latencies = new List<double>[clients];
            var failures = new string?[clients];
            var start = Stopwatch.GetTimestamp();
            await Task.WhenAll(pool.Clients.Select(client => Task.Run(async () =>
            {
                var i = client.Index;
                latencies[i] = new List<double>(messages);
                for (var n = 0; n < messages; n++)
                {
                    var message = $"c{i}-m{n}-".PadRight(options.MessageBytes, 'x');
                    var echo = new TaskCompletionSource<(long At, string Message)>(TaskCreationOptions.RunContinuationsAsynchronously);
                    Volatile.Write(ref pending[i], echo);
                    var sent = Stopwatch.GetTimestamp();
                    try
                    {
                        await client.SendAsync(message, CancellationToken.None);
                        var (at, echoed) = await echo.Task.WaitAsync(EchoTimeout);
                        if (echoed != message)
                        {
                            failures[i] = $"client {i} sent {message} but its echo was for {echoed}";
                            return;
                        }
                        latencies[i].Add(Stopwatch.GetElapsedTime(sent, at).TotalMilliseconds);
                    }
                    catch (Exception error) when (error is TimeoutException or System.Net.WebSockets.WebSocketException)
                    {
                        failures[i] = $"client {i} message {n}: {error.GetType().Name}: {error.Message}";
                        return;
                    }
                }
            })));

            var drainedInTime = true;
            long end;
            try
            {
                end = await drained.Task.WaitAsync(DrainTimeout);
            }
            catch (TimeoutException)
            {
                drainedInTime = false;
                end = Stopwatch.GetTimestamp();
            }

            var seconds = Stopwatch.GetElapsedTime(start, end).TotalSeconds;
            var received = pool.Clients.Sum(c => c.FramesReceived);
            var shortfalls = pool.Clients.Where(c => c.FramesReceived != expectedPerClient)
                .Select(c => new { client = c.Index, received = c.FramesReceived, expected = expectedPerClient })
                .ToList();
            var all = latencies.Where(l => l is not null).SelectMany(l => l).ToList();
            var wireBytesPerFrame = Result.Round(pool.WireBytesReceived / (double)Math.Max(received, 1), 1);
            var errors = failures.Where(f => f is not null).ToList();
            var ok = drainedInTime && shortfalls.Count == 0 && errors.Count == 0 && all.Count == clients * messages;

            Console.WriteLine(
                $"fanout {clients}x{messages}: {received} frames in {seconds:F2} s = {received / seconds:F0} frames/s " +
                $"({clients * messages / seconds:F0} messages/s); own echo p50 {Percentiles.Of(all, 50):F2} ms, " +
                $"p99 {Percentiles.Of(all, 99):F2} ms, max {all.DefaultIfEmpty(double.NaN).Max():F2} ms; {wireBytesPerFrame} wire bytes/frame; " +
                (ok ? "all frames arrived" : $"FAILED: {shortfalls.Count} clients short, {errors.Count} client errors, drained={drainedInTime}"));
            foreach (var error in errors.Take(5))
                Console.WriteLine("  " + error);
            var figures = new Dictionary<string, double>
            {
                ["framesPerSecond"] = Result.Round(received / seconds, 0),
                ["echoP50Ms"] = Result.Round(Percentiles.Of(all, 50)),
                ["echoP99Ms"] = Result.Round(Percentiles.Of(all, 99)),
                ["wireBytesPerFrame"] = wireBytesPerFrame,
            };
            return new RunResult(ok, figures, new
            {
                scenario = "fanout",
                target = command.Target.Name(),
                nodes = servers.Servers.Count,
                clients,
                messages,
                messageBytes = options.MessageBytes,
                deflate = options.Deflate,
                ok,
                seconds = Result.Round(seconds, 3),
                framesReceived = received,
                framesExpected = expectedTotal,
                framesPerSecond = Result.Round(received / seconds, 0),
                messagesPerSecond = Result.Round(clients * messages / seconds, 0),
                echoSamples = all.Count,
                echoP50Ms = Result.Round(Percentiles.Of(all, 50)),
                echoP99Ms = Result.Round(Percentiles.Of(all, 99)),
                echoMaxMs = Result.Round(all.DefaultIfEmpty(double.NaN).Max()),
                wireBytesReceived = pool.WireBytesReceived,
                wireBytesPerFrame,
                drainedInTime,
                shortfalls = shortfalls.Take(20),
                clientErrors = errors.Count,
                serverPids = servers.Servers.Select(server => server.Pid),
            });
        }
        finally
        {
            // Stop the servers first: they close every socket with 1001 and the clients answer.
            await servers.DisposeAsync();
        }
    }
}

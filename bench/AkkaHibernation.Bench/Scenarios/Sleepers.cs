using System.Diagnostics;

namespace AkkaHibernation.Bench.Scenarios;

/// <summary>
/// Rooms named per document or per match: N distinct rooms are each used once (connect, one message and its echo,
/// close) and left to hibernate. The node's managed heap, read from its /metrics after the full collection the node
/// runs once a wave of hibernations settles, is compared before and after them: whatever the node keeps per
/// sleeping room shows as bytes per room.
/// </summary>
public static class Sleepers
{
    private const int WarmUpRooms = 500;
    private static readonly TimeSpan EchoTimeout = TimeSpan.FromSeconds(30);

    // A closed socket stays findable for the close-handshake timeout (5 s) so a waking room still finds it.
    private static readonly TimeSpan ClosedSocketsForgotten = TimeSpan.FromSeconds(6);

    public sealed record Options(int Rooms = 20_000, int InFlight = 64);

    /// <summary>Rooms sleep soon after their last message, so the run is bounded by the rate rooms are used.</summary>
    public const string IdleTimeout = "200ms";

    public static async Task<RunResult> RunOnceAsync(string hostDll, Options options)
    {
        Console.WriteLine($"== sleepers: {options.Rooms} distinct rooms used once each ({options.InFlight} at a time), then asleep");
        using var metrics = new NodeMetrics();
        var command = ServerCommand.Host(hostDll, IdleTimeout, [.. metrics.Settings, ServerCommand.ReleaseMemorySoon]);
        await using var server = await ServerProcess.StartAsync(command);
        await using var pool = new ClientPool();
        try
        {
            await UseOnceAsync(pool, server, "warm", WarmUpRooms, options.InFlight);
            var before = await SettledAsync(pool, server, metrics, WarmUpRooms, "settle-before");

            var elapsed = Stopwatch.StartNew();
            var uses = await UseOnceAsync(pool, server, "doc", options.Rooms, options.InFlight);
            var seconds = elapsed.Elapsed.TotalSeconds;
            var after = await SettledAsync(pool, server, metrics, WarmUpRooms + 1 + options.Rooms, "settle-after");

            var perRoom = Result.Round((after.ManagedHeapBytes - before.ManagedHeapBytes) / (double)options.Rooms, 1);
            var ratio = Result.Round(after.ManagedHeapBytes / (double)before.ManagedHeapBytes, 3);
            var roomsPerSecond = Result.Round(options.Rooms / seconds, 0);
            var connect = Phase(uses, use => use.ConnectMs);
            var echo = Phase(uses, use => use.EchoMs);
            var close = Phase(uses, use => use.CloseMs);
            Console.WriteLine($"sleepers {options.Rooms}: managed heap {before.ManagedHeapBytes / 1024} KiB -> {after.ManagedHeapBytes / 1024} KiB " +
                              $"({ratio}x, {perRoom} B per sleeping room); {roomsPerSecond} rooms used per second; " +
                              $"hibernated gauge {after.HibernatedGauge}; per room p50/p99: connect {connect}, echo {echo}, close {close} ms");
            return new RunResult(true,
                new Dictionary<string, double>
                {
                    ["bytesPerSleepingRoom"] = perRoom, ["heapRatio"] = ratio, ["roomsPerSecond"] = roomsPerSecond,
                    ["connectP50Ms"] = connect.P50, ["echoP50Ms"] = echo.P50, ["closeP50Ms"] = close.P50,
                },
                new
                {
                    scenario = "sleepers", rooms = options.Rooms, heapBeforeBytes = before.ManagedHeapBytes, heapAfterBytes = after.ManagedHeapBytes,
                    bytesPerSleepingRoom = perRoom, heapRatio = ratio, roomsPerSecond, hibernatedGauge = after.HibernatedGauge,
                    connectMs = connect, echoMs = echo, closeMs = close, serverPid = server.Pid,
                });
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    /// <summary>How long one use of a room took: the handshake (a new room's recovery and the connect's write), the echo, the close.</summary>
    private readonly record struct RoomUse(double ConnectMs, double EchoMs, double CloseMs);

    /// <summary>The median and 99th percentile of one part of the rooms' uses, in ms.</summary>
    private readonly record struct PhaseMs(double P50, double P99)
    {
        public override string ToString() => $"{P50}/{P99}";
    }

    private static PhaseMs Phase(IReadOnlyList<RoomUse> uses, Func<RoomUse, double> part)
    {
        var samples = uses.Select(part).ToList();
        return new PhaseMs(Result.Round(Percentiles.Median(samples), 1), Result.Round(Percentiles.Of(samples, 99), 1));
    }

    /// <summary>Uses rooms <c>{prefix}-0</c> … once each, <paramref name="inFlight"/> at a time; returns how long each use took.</summary>
    private static async Task<IReadOnlyList<RoomUse>> UseOnceAsync(ClientPool pool, ServerProcess server, string prefix, int rooms, int inFlight)
    {
        var uses = new RoomUse[rooms];
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, inFlight).Select(async _ =>
        {
            for (var room = Interlocked.Increment(ref next); room < rooms; room = Interlocked.Increment(ref next))
            {
                var echo = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                var started = Stopwatch.GetTimestamp();
                await using var client = await pool.ConnectOneAsync(server.Room($"{prefix}-{room}"), (_, text, _) =>
                {
                    if (Frame.Parse(text) is { Kind: FrameKind.Own })
                        echo.TrySetResult();
                });
                var connected = Stopwatch.GetTimestamp();
                await client.SendAsync("once", CancellationToken.None);
                await echo.Task.WaitAsync(EchoTimeout);
                var echoed = Stopwatch.GetTimestamp();
                await client.CloseAsync();
                uses[room] = new RoomUse(Stopwatch.GetElapsedTime(started, connected).TotalMilliseconds,
                    Stopwatch.GetElapsedTime(connected, echoed).TotalMilliseconds, Stopwatch.GetElapsedTime(echoed).TotalMilliseconds);
            }
        }));
        return uses;
    }

    /// <summary>
    /// Waits until no room is resident and <paramref name="hibernations"/> rooms have slept, and until the node has
    /// forgotten their closed sockets; then one more room, <paramref name="settler"/>, sleeps, whose hibernation wave
    /// makes the node run its memory release (a full collection); the metrics after it are returned.
    /// </summary>
    private static async Task<NodeMetrics.Snapshot> SettledAsync(
        ClientPool pool, ServerProcess server, NodeMetrics metrics, int hibernations, string settler)
    {
        await metrics.WaitAllAsleepAsync(hibernations);
        await Task.Delay(ClosedSocketsForgotten);
        var before = await metrics.ReadAsync();
        await UseOnceAsync(pool, server, settler, 1, 1);
        await metrics.WaitAllAsleepAsync(hibernations + 1);
        return await metrics.WaitFullCollectionAsync(before);
    }
}

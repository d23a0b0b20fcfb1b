using System.Diagnostics;
using System.Globalization;

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
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromMinutes(2);

    // A closed socket stays findable for the close-handshake timeout (5 s) so a waking room still finds it.
    private static readonly TimeSpan ClosedSocketsForgotten = TimeSpan.FromSeconds(6);

    public sealed record Options(int Rooms = 20_000, int InFlight = 64);

    /// <summary>Rooms sleep soon after their last message, so the run is bounded by the rate rooms are used.</summary>
    public const string IdleTimeout = "200ms";

    public static async Task<RunResult> RunOnceAsync(string hostDll, Options options)
    {
        Console.WriteLine($"== sleepers: {options.Rooms} distinct rooms used once each ({options.InFlight} at a time), then asleep");
        var adminPort = FreePort.Find();
        var command = ServerCommand.Host(hostDll, IdleTimeout,
            "akka-hibernation.admin.enabled = on",
            $"akka-hibernation.admin.prefixes = [\"http://127.0.0.1:{adminPort}/\"]",
            "akka-hibernation.host.memory-release.min-interval = 1s");
        await using var server = await ServerProcess.StartAsync(command);
        await using var pool = new ClientPool();
        using var metrics = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{adminPort}/") };
        try
        {
            await UseOnceAsync(pool, server, "warm", WarmUpRooms, options.InFlight);
            var before = await SettledHeapAsync(pool, server, metrics, WarmUpRooms, "settle-before");

            var elapsed = Stopwatch.StartNew();
            await UseOnceAsync(pool, server, "doc", options.Rooms, options.InFlight);
            var seconds = elapsed.Elapsed.TotalSeconds;
            var after = await SettledHeapAsync(pool, server, metrics, WarmUpRooms + 1 + options.Rooms, "settle-after");

            var perRoom = Result.Round((after.Heap - before.Heap) / (double)options.Rooms, 1);
            var ratio = Result.Round(after.Heap / (double)before.Heap, 3);
            var roomsPerSecond = Result.Round(options.Rooms / seconds, 0);
            Console.WriteLine($"sleepers {options.Rooms}: managed heap {before.Heap / 1024} KiB -> {after.Heap / 1024} KiB " +
                              $"({ratio}x, {perRoom} B per sleeping room); {roomsPerSecond} rooms used per second; " +
                              $"hibernated gauge {after.Hibernated}");
            return new RunResult(true,
                new Dictionary<string, double> { ["bytesPerSleepingRoom"] = perRoom, ["heapRatio"] = ratio, ["roomsPerSecond"] = roomsPerSecond },
                new
                {
                    scenario = "sleepers", rooms = options.Rooms, heapBeforeBytes = before.Heap, heapAfterBytes = after.Heap,
                    bytesPerSleepingRoom = perRoom, heapRatio = ratio, roomsPerSecond, hibernatedGauge = after.Hibernated, serverPid = server.Pid,
                });
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    /// <summary>Uses rooms <c>{prefix}-0</c> … once each, <paramref name="inFlight"/> at a time.</summary>
    private static async Task UseOnceAsync(ClientPool pool, ServerProcess server, string prefix, int rooms, int inFlight)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, inFlight).Select(async _ =>
        {
            for (var room = Interlocked.Increment(ref next); room < rooms; room = Interlocked.Increment(ref next))
            {
                var echo = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                await using var client = await pool.ConnectOneAsync(server.Room($"{prefix}-{room}"), (_, text, _) =>
                {
                    if (Frame.Parse(text) is { Kind: FrameKind.Own })
                        echo.TrySetResult();
                });
                await client.SendAsync("once", CancellationToken.None);
                await echo.Task.WaitAsync(EchoTimeout);
                await client.CloseAsync();
            }
        }));
    }

    /// <summary>
    /// Waits until no room is resident and <paramref name="hibernations"/> rooms have slept, and until the node has
    /// forgotten their closed sockets; then one more room, <paramref name="settler"/>, sleeps, whose hibernation wave
    /// makes the node run its memory release (a full collection); the managed heap it left is read.
    /// </summary>
    private static async Task<(long Heap, long Hibernated)> SettledHeapAsync(
        ClientPool pool, ServerProcess server, HttpClient metrics, int hibernations, string settler)
    {
        await AllAsleepAsync(metrics, hibernations);
        await Task.Delay(ClosedSocketsForgotten);
        var collections = Sample(await metrics.GetStringAsync("metrics"), "dotnet_collection_count_total{generation=\"2\"}");
        await UseOnceAsync(pool, server, settler, 1, 1);
        await AllAsleepAsync(metrics, hibernations + 1);
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var text = await metrics.GetStringAsync("metrics");
            if (Sample(text, "dotnet_collection_count_total{generation=\"2\"}") > collections)
                return ((long)Sample(text, "dotnet_total_memory_bytes"), (long)Sample(text, "akkahibernation_rooms_hibernated"));
            if (deadline.Elapsed > SettleTimeout)
                throw new TimeoutException($"The node ran no full collection within {SettleTimeout} after its rooms slept");
            await Task.Delay(200);
        }
    }

    private static async Task AllAsleepAsync(HttpClient metrics, int hibernations)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var text = await metrics.GetStringAsync("metrics");
            if (Sample(text, "akkahibernation_rooms_resident") == 0 && Sample(text, "akkahibernation_rooms_hibernations") >= hibernations)
                return;
            if (deadline.Elapsed > SettleTimeout)
                throw new TimeoutException($"Rooms did not all hibernate within {SettleTimeout}");
            await Task.Delay(200);
        }
    }

    private static double Sample(string metrics, string name)
    {
        var line = metrics.Split('\n').FirstOrDefault(l => l.StartsWith(name + " ", StringComparison.Ordinal))
                   ?? throw new InvalidOperationException($"/metrics has no sample {name}");
        return double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
    }
}

namespace AkkaHibernation.Bench.Scenarios;

/// <summary>
/// What a socket costs the node while its room sleeps, measured where the node has settled: N connections over R
/// rooms, every room asleep, read after the node's memory release (the managed heap that release logs it left, its RSS
/// from /proc), against the same reading before the connections. Then K hibernate/wake cycles of the same rooms (one
/// message each, every client hears it, every room sleeps again) and the same reading: memory that grows with
/// cycles is memory a wake leaves behind.
/// </summary>
public static class SleepingSockets
{
    private static readonly TimeSpan FramesTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan EchoTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ReleaseTimeout = TimeSpan.FromSeconds(30);

    /// <param name="HoldSeconds">After each settled reading, the node is left as it is this long (to take a heap dump of it).</param>
    public sealed record Options(int Connections = 19_000, int Rooms = 190, int Cycles = 0, int HoldSeconds = 0);

    /// <summary>Rooms sleep soon after their message, so cycles are bounded by the wakes themselves.</summary>
    public const string IdleTimeout = "200ms";

    /// <summary>A reading of the settled node.</summary>
    private sealed record Settled(long HeapBytes, long RssKiB, long Hibernations);

    public static async Task<RunResult> RunOnceAsync(string hostDll, Options options)
    {
        var (connections, rooms, cycles) = (options.Connections, options.Rooms, options.Cycles);
        Console.WriteLine($"== sockets: {connections} connections over {rooms} sleeping rooms, then {cycles} hibernate/wake cycles");
        FdLimit.Require(connections + 1);
        using var metrics = new NodeMetrics();
        var command = ServerCommand.Host(hostDll, IdleTimeout, [.. metrics.Settings, ServerCommand.ReleaseMemorySoon]);
        await using var server = await ServerProcess.StartAsync(command);
        await using var pool = new ClientPool();

        // The settler has a room of its own: waking it once makes a hibernation wave, so the node releases memory
        // at a moment this scenario knows of, whatever it did before.
        var settlerEcho = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var settler = await pool.ConnectOneAsync(server.Room("sockets-settler"), (_, text, _) =>
        {
            if (Frame.Parse(text) is { Kind: FrameKind.Own })
                Volatile.Read(ref settlerEcho).TrySetResult();
        });
        async Task<Settled> SettleAsync(long hibernations)
        {
            await metrics.WaitAllAsleepAsync(hibernations);
            var mark = server.Log.Mark();
            Volatile.Write(ref settlerEcho, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            await settler.SendAsync("settle", CancellationToken.None);
            await settlerEcho.Task.WaitAsync(EchoTimeout);
            await metrics.WaitAllAsleepAsync(hibernations + 1);
            var heap = await server.Log.WaitForMemoryReleaseAsync(mark, ReleaseTimeout)
                       ?? throw new TimeoutException($"The node logged no memory release within {ReleaseTimeout} after its rooms slept");
            var settled = new Settled(heap, server.RssKiB(), (await metrics.ReadAsync()).Hibernations);
            if (options.HoldSeconds > 0)
            {
                Console.WriteLine($"settled after {settled.Hibernations} hibernations (heap {settled.HeapBytes / 1024} KiB): " +
                                  $"holding server pid {server.Pid} for {options.HoldSeconds} s");
                await Task.Delay(TimeSpan.FromSeconds(options.HoldSeconds));
            }
            return settled;
        }

        var frames = 0L;
        var waveHeard = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // One message per room: every client in it gets two lines.
        var waveFrames = 2L * connections;
        async Task WaveAsync(int wave)
        {
            Interlocked.Exchange(ref frames, 0);
            Volatile.Write(ref waveHeard, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            await Task.WhenAll(Enumerable.Range(0, rooms).Select(r => pool.Clients[r].SendAsync($"wave-{wave}", CancellationToken.None)));
            try
            {
                await waveHeard.Task.WaitAsync(FramesTimeout);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"Wave {wave}: {Interlocked.Read(ref frames)} of {waveFrames} frames within {FramesTimeout}");
            }
        }

        try
        {
            var idle = await SettleAsync(0);
            await pool.OpenAsync(connections, i => server.Room($"sockets-{i % rooms}"), (_, _, _) =>
            {
                if (Interlocked.Increment(ref frames) == waveFrames)
                    Volatile.Read(ref waveHeard).TrySetResult();
            });
            await WaveAsync(0);
            var asleep = await SettleAsync(idle.Hibernations + rooms);
            var hibernations = asleep.Hibernations;
            for (var cycle = 1; cycle <= cycles; cycle++)
            {
                await WaveAsync(cycle);
                hibernations = (await metrics.WaitAllAsleepAsync(hibernations + rooms)).Hibernations;
            }
            var cycled = cycles > 0 ? await SettleAsync(hibernations) : asleep;

            double HeapPerSocket(Settled at) => Result.Round((at.HeapBytes - idle.HeapBytes) / (double)connections, 0);
            double RssPerSocket(Settled at) => Result.Round((at.RssKiB - idle.RssKiB) * 1024.0 / connections, 0);
            Console.WriteLine(
                $"sockets {connections} / {rooms} rooms asleep: managed heap {idle.HeapBytes / 1024} -> {asleep.HeapBytes / 1024} KiB " +
                $"({HeapPerSocket(asleep)} B per socket), RSS {idle.RssKiB} -> {asleep.RssKiB} KiB ({RssPerSocket(asleep)} B per socket)" +
                (cycles == 0 ? "" :
                    $"; after {cycles} hibernate/wake cycles: heap {cycled.HeapBytes / 1024} KiB ({HeapPerSocket(cycled)} B per socket), " +
                    $"RSS {cycled.RssKiB} KiB ({RssPerSocket(cycled)} B per socket)"));
            var figures = new Dictionary<string, double>
            {
                ["heapBytesPerSocket"] = HeapPerSocket(asleep),
                ["rssBytesPerSocket"] = RssPerSocket(asleep),
            };
            if (cycles > 0)
            {
                figures["heapBytesPerSocketAfterCycles"] = HeapPerSocket(cycled);
                figures["rssBytesPerSocketAfterCycles"] = RssPerSocket(cycled);
            }
            return new RunResult(true, figures, new
            {
                scenario = "sockets", connections, rooms, cycles,
                idleHeapBytes = idle.HeapBytes, idleRssKiB = idle.RssKiB,
                asleepHeapBytes = asleep.HeapBytes, asleepRssKiB = asleep.RssKiB,
                cycledHeapBytes = cycled.HeapBytes, cycledRssKiB = cycled.RssKiB,
                figures, serverPid = server.Pid,
            });
        }
        finally
        {
            await server.DisposeAsync();
        }
    }
}

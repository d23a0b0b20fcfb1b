using System.Diagnostics;
using Akka.Actor;
using AkkaHibernation.Actors.Rooms;
using Microsoft.Extensions.Logging;

namespace AkkaHibernation.Server.Journal;

/// <summary>
/// Runs a wake's path, the journal's read of a snapshot and the events after it and a room's state rebuilt from a
/// snapshot, on the node's own warm-up id a few dozen times in the background after the start, one round per
/// interval. .NET runs code that no ready-to-run image holds (the persistence plugin's and the collections' generic
/// code over their row and key types, code emitted at run time) unoptimised until it has been called about 30 times
/// after a quiet spell; a room wakes too rarely for that, so without this every wake, not only the first, ran part of
/// its read path unoptimised (docs/BENCHMARKS.md, "A wake's path warmed after the start"). Calls made in the start's
/// own burst of compilation are not counted, which is why this is spread out in time rather than done at once. It uses
/// idle time only: a round runs after an interval in which the process used at most
/// <see cref="WakeWarmupSettings.MaxCpu"/> of one core, so a reconnect storm after a restart is not slowed by it.
/// </summary>
internal sealed class WakeWarmup : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private int _roundsRun;
    private int _intervalsSkipped;

    private WakeWarmup(ActorSystem system, WakeWarmupSettings settings, ILogger log) =>
        _loop = Task.Run(() => LoopAsync(system, settings, log));

    /// <summary>Starts the rounds; null when they are turned off.</summary>
    public static WakeWarmup? Start(ActorSystem system, WakeWarmupSettings settings, ILogger log) =>
        settings.Rounds == 0 ? null : new WakeWarmup(system, settings, log);

    /// <summary>Rounds finished so far.</summary>
    public int RoundsRun => Volatile.Read(ref _roundsRun);

    /// <summary>Intervals after which no round ran because the process was busy.</summary>
    public int IntervalsSkipped => Volatile.Read(ref _intervalsSkipped);

    /// <summary>Completes once every round has run, or the warm-up stopped.</summary>
    public Task Finished => _loop;

    private async Task LoopAsync(ActorSystem system, WakeWarmupSettings settings, ILogger log)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            var cpuBefore = Environment.CpuUsage.TotalTime;
            for (var round = 0; round < settings.Rounds;)
            {
                await Task.Delay(settings.Interval, _stopping.Token);
                var cpu = Environment.CpuUsage.TotalTime;
                var busy = (cpu - cpuBefore) / settings.Interval > settings.MaxCpu;
                if (busy)
                {
                    // Idle time only: a connect storm or a hand-over right after a start must not share the cores with this.
                    Interlocked.Increment(ref _intervalsSkipped);
                    cpuBefore = cpu;
                    continue;
                }
                await JournalWarmup.ReadAsync(system, $"wake-warmup-{round}", _stopping.Token);
                RoomRecoveryWarmup.Run();
                Interlocked.Increment(ref _roundsRun);
                round++;
                // The round's own work is not the node being busy.
                cpuBefore = Environment.CpuUsage.TotalTime;
            }
            log.LogInformation("Wake path warmed up: {Rounds} rounds in {Seconds:F1} s ({Skipped} intervals skipped as busy)",
                settings.Rounds, watch.Elapsed.TotalSeconds, IntervalsSkipped);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // the node is stopping
        }
        catch (Exception error)
        {
            // Only speed is lost: rooms wake as before, and a journal that fails shows in their own recoveries.
            log.LogWarning(error, "Wake path warm-up stopped after {Rounds} rounds: {Message}", RoundsRun, error.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _loop;
        _stopping.Dispose();
    }
}

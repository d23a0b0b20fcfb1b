using AkkaHibernation.Actors.Hibernation;
using Microsoft.Extensions.Logging;

namespace AkkaHibernation.Server.Node;

/// <summary>
/// Gives memory back to the OS after rooms hibernate. The GC frees a hibernated room's objects at its next
/// collection but keeps the pages for later allocations, so the process's RSS would not fall. Once a wave of
/// hibernations has settled (no room hibernated during the last check), and at most once per
/// <see cref="MemoryReleaseSettings.MinInterval"/>, this runs one aggressive, compacting full collection, which
/// decommits the free pages, and then hands the C library's free pages back too (<see cref="NativeHeap"/>). It costs
/// one full-GC pause, taken when rooms have just gone idle.
/// </summary>
internal sealed class MemoryReleaser : IAsyncDisposable
{
    private readonly MemoryReleaseSettings _settings;
    private readonly HibernationCounters _rooms;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private long _releases;

    public MemoryReleaser(MemoryReleaseSettings settings, HibernationCounters rooms, ILogger log)
    {
        _settings = settings;
        _rooms = rooms;
        _log = log;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>How many times memory was released.</summary>
    public long Releases => Interlocked.Read(ref _releases);

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(_settings.CheckInterval);
        var releasedAt = _rooms.Hibernations;
        var seenAt = releasedAt;
        var lastRelease = DateTime.MinValue;
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                var now = _rooms.Hibernations;
                var settled = now == seenAt;
                seenAt = now;
                if (now == releasedAt || !settled || DateTime.UtcNow - lastRelease < _settings.MinInterval)
                    continue;
                Release(now - releasedAt);
                releasedAt = now;
                lastRelease = DateTime.UtcNow;
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    private void Release(long hibernations)
    {
        var before = Environment.WorkingSet;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        // Read at once: what the collection left is what the node holds (later reads count new garbage too).
        var heap = GC.GetTotalMemory(forceFullCollection: false);
        var collected = Environment.WorkingSet;
        var trimmed = NativeHeap.Trim();
        Interlocked.Increment(ref _releases);
        const double mib = 1048576.0;
        if (trimmed)
        {
            _log.LogInformation("Released memory after {Hibernations} room hibernations: managed heap {Heap:F1} MiB; " +
                                "RSS {Before:F1} MiB -> {After:F1} MiB ({Collected:F1} MiB after the collection, the rest from the native heap)",
                hibernations, heap / mib, before / mib, Environment.WorkingSet / mib, collected / mib);
        }
        else
        {
            _log.LogInformation("Released memory after {Hibernations} room hibernations: managed heap {Heap:F1} MiB; RSS {Before:F1} MiB -> {After:F1} MiB",
                hibernations, heap / mib, before / mib, collected / mib);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _loop;
        _stopping.Dispose();
    }
}

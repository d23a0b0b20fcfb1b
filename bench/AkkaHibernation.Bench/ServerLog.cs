using System.Text.RegularExpressions;

namespace AkkaHibernation.Bench;

/// <summary>
/// The server's stdout/stderr lines, kept so a scenario can check what the server says it did (rooms hibernated,
/// rooms woken and how long recovery took) between two marks.
/// </summary>
public sealed partial class ServerLog
{
    /// <summary>
    /// Environment variable naming a file every server's lines are appended to as they arrive (for lining a trace of
    /// the server up with what it logged, e.g. its wake lines).
    /// </summary>
    public const string CopyVariable = "AKKAHIBERNATION_BENCH_SERVER_LOG";

    private const int MaxLines = 200_000;
    private readonly List<string> _lines = new();
    private readonly StreamWriter? _copy;
    private int _dropped;

    /// <param name="copyPath">A file the lines are appended to as well; null for none.</param>
    public ServerLog(string? copyPath = null) =>
        _copy = string.IsNullOrEmpty(copyPath) ? null : new StreamWriter(copyPath, append: true) { AutoFlush = true };

    /// <summary>Lines seen so far (including any dropped past the cap); pass it to <see cref="Since"/> later.</summary>
    public int Mark()
    {
        lock (_lines)
            return _dropped + _lines.Count;
    }

    public void Add(string line)
    {
        lock (_lines)
        {
            _copy?.WriteLine(line);
            if (_lines.Count < MaxLines)
                _lines.Add(line);
            else
                _dropped++;
        }
    }

    /// <summary>The kept lines from <paramref name="mark"/> on.</summary>
    public IReadOnlyList<string> Since(int mark)
    {
        lock (_lines)
            return mark >= _lines.Count ? [] : _lines.GetRange(mark, _lines.Count - mark);
    }

    public IReadOnlyList<string> Tail(int count)
    {
        lock (_lines)
            return _lines.TakeLast(count).ToList();
    }

    /// <summary>Names of rooms the server logged as hibernated since <paramref name="mark"/>.</summary>
    public IReadOnlyList<string> HibernatedSince(int mark) =>
        Since(mark).Select(line => Hibernated().Match(line)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToList();

    /// <summary>Wakes (recoveries) the server logged since <paramref name="mark"/>.</summary>
    public IReadOnlyList<Recovery> RecoveriesSince(int mark) =>
        Since(mark).Select(line => Resident().Match(line)).Where(m => m.Success)
            .Select(m => new Recovery(m.Groups[1].Value, int.Parse(m.Groups[2].Value), Number(m.Groups[3])!.Value,
                Number(m.Groups[4]), Number(m.Groups[5]), Number(m.Groups[6]),
                m.Groups[7].Success ? int.Parse(m.Groups[7].Value) : null, Number(m.Groups[8])))
            .ToList();

    private static double? Number(Group group) =>
        group.Success ? double.Parse(group.Value, System.Globalization.CultureInfo.InvariantCulture) : null;

    /// <summary>Polls (every 50 ms, up to <paramref name="timeout"/>) until a room is logged as hibernated since the mark.</summary>
    public Task<bool> WaitForHibernationAsync(string room, int mark, TimeSpan timeout) =>
        WaitForHibernationAsync([(this, mark)], room, timeout);

    /// <summary>
    /// Polls (every 50 ms, up to <paramref name="timeout"/>) until any of <paramref name="logs"/> logged the room as
    /// hibernated since its mark: in a cluster, the room sleeps on whichever node it ran on.
    /// </summary>
    public static Task<bool> WaitForHibernationAsync(IReadOnlyList<(ServerLog Log, int Mark)> logs, string room, TimeSpan timeout) =>
        PollAsync(() => logs.Any(entry => entry.Log.HibernatedSince(entry.Mark).Contains(room)), timeout);

    /// <summary>
    /// The room's last recovery logged since the mark, waiting for it up to <paramref name="timeout"/>: the server
    /// writes its log in the background, so the line can arrive after the frames the room sent once it was up.
    /// </summary>
    public async Task<Recovery?> WaitForRecoveryAsync(string room, int mark, TimeSpan timeout)
    {
        Recovery? Last() => RecoveriesSince(mark).LastOrDefault(r => r.Room == room);
        return await PollAsync(() => Last() is not null, timeout) ? Last() : null;
    }

    /// <summary>
    /// Polls (every 50 ms, up to <paramref name="timeout"/>) until the node logs a memory release since the mark; the
    /// managed heap that release left, in bytes (to 0.1 MiB), or null if none was logged in time.
    /// </summary>
    public async Task<long?> WaitForMemoryReleaseAsync(int mark, TimeSpan timeout)
    {
        Match? Released() => Since(mark).Select(line => MemoryReleased().Match(line)).FirstOrDefault(m => m.Success);
        return await PollAsync(() => Released() is not null, timeout)
            ? (long)(Number(Released()!.Groups[1])!.Value * 1048576)
            : null;
    }

    private static async Task<bool> PollAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (condition())
                return true;
            if (DateTime.UtcNow >= deadline)
                return false;
            await Task.Delay(50);
        }
    }

    /// <summary>
    /// One "Room X is resident" line: the room, sessions it restored, the server's recovery time and, from hosts
    /// that log it, its breakdown into reading the journal, re-attaching sessions and building the behaviour, and the
    /// garbage collections that ran in the process meanwhile (their count and pause).
    /// </summary>
    public sealed record Recovery(
        string Room, int SessionsRestored, double RecoveryMs, double? JournalMs, double? SessionsMs, double? BehaviourMs,
        int? GcCollections, double? GcPauseMs);

    [GeneratedRegex(@"Released memory after \d+ room hibernations: managed heap ([0-9.]+) MiB")]
    private static partial Regex MemoryReleased();

    [GeneratedRegex(@"Room (\S+) hibernated")]
    private static partial Regex Hibernated();

    [GeneratedRegex(@"Room (\S+) is resident: (\d+) sessions restored, \d+ gone(?:, \d+ ended while it slept)?, recovered to sequence \d+ in ([0-9.]+) ms(?: \(journal ([0-9.]+) ms, sessions ([0-9.]+) ms, behaviour ([0-9.]+) ms(?:; GC (\d+) collections, ([0-9.]+) ms paused)?\))?")]
    private static partial Regex Resident();
}

using AkkaHibernation.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace AkkaHibernation.Tests.Journal;

/// <summary>
/// The start-up warm-up reads a snapshot and an event of its own, so the first room that wakes does not pay for the
/// plugin's first rows; only the first start on a journal writes them. (That the ops commands do not list them as a
/// room, <c>JournalCliSpecs</c>' golden outputs show.)
/// </summary>
public sealed class JournalWarmupSpecs(ITestOutputHelper output) : IDisposable
{
    private readonly TestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task The_first_start_writes_a_snapshot_and_an_event_after_it_and_later_starts_only_read_them()
    {
        await (await TestNode.StartAsync(_database, output)).DisposeAsync();
        var afterFirst = Rows();

        await (await TestNode.StartAsync(_database, output)).DisposeAsync();
        var afterSecond = Rows();

        // Seeding: an event (1), the snapshot at it, and the event a recovery replays after the snapshot (2).
        Assert.Equal(("1,2", "1"), afterFirst);
        Assert.Equal(afterFirst, afterSecond);
    }

    private (string Events, string Snapshots) Rows() => WarmupRows.Read(_database);
}

using Akka.Actor;
using Akka.Persistence;
using AkkaHibernation.Server.Journal;
using BenchmarkDotNet.Attributes;

namespace AkkaHibernation.MicroBench;

/// <summary>
/// The two reads a wake asks Akka.Persistence.Sql for, on the shipped config over a real SQLite file, asked of the
/// plugin actors directly: the latest snapshot of a room of N seed sessions (read and deserialized), and the replay
/// after it (nothing to replay: the journal's highest sequence number).
/// </summary>
[ShortRunJob]
[MemoryDiagnoser]
public class PluginReadBenchmarks
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private ShippedJournal _database = null!;
    private ActorSystem _system = null!;
    private IActorRef _snapshots = null!;
    private IActorRef _journalActor = null!;
    private string _persistenceId = null!;

    [Params(10, 1000)]
    public int Sessions { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _database = new ShippedJournal();
        _system = ActorSystem.Create("plugin-bench", _database.Store.SystemSetup(_database.Config));
        var persistence = Persistence.Instance.Apply(_system);
        _snapshots = persistence.SnapshotStoreFor(null);
        _journalActor = persistence.JournalFor(null);
        _persistenceId = $"room-plugin-bench-{Sessions}";
        var saved = _snapshots.Ask(new SaveSnapshot(new SnapshotMetadata(_persistenceId, 1, DateTime.UtcNow), SampleRoom.Snapshot(Sessions)), Timeout).Result;
        if (saved is not SaveSnapshotSuccess)
            throw new InvalidOperationException($"Snapshot not saved: {saved}");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _system.Terminate().Wait(Timeout);
        _database.Dispose();
    }

    [Benchmark]
    public byte[] RowDirect()
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection(SqliteJournalStore.ConnectionString(_database.DatabasePath));
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT snapshot FROM snapshot WHERE persistence_id = $id ORDER BY sequence_number DESC LIMIT 1";
        command.Parameters.AddWithValue("$id", _persistenceId);
        using var reader = command.ExecuteReader();
        reader.Read();
        return reader.GetFieldValue<byte[]>(0);
    }

    [Benchmark]
    public object LatestSnapshot() =>
        _snapshots.Ask(new LoadSnapshot(_persistenceId, SnapshotSelectionCriteria.Latest, long.MaxValue), Timeout).Result;

    [Benchmark]
    public object ReplayAfterSnapshot() =>
        _journalActor.Ask<object>(actor => new ReplayMessages(2, long.MaxValue, long.MaxValue, _persistenceId, actor), Timeout, CancellationToken.None).Result;
}

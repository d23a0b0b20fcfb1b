using Akka.Actor;
using Akka.Persistence;
using AkkaHibernation.Tests.Support;
using Microsoft.Data.Sqlite;
using Xunit;
using Xunit.Abstractions;

namespace AkkaHibernation.Tests.Journal;

/// <summary>
/// What the persistence plugins do while another connection holds the SQLite file's write lock, on the node's own
/// setup (<c>JournalStore.SystemSetup</c>) and a real file.
/// </summary>
public sealed class SqliteWriteLockSpecs(ITestOutputHelper output) : PersistenceSpec(output)
{
    private static readonly TimeSpan WellWithinTheBusyTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Asks the snapshot store to save, then, from the same actor and so in that order, to load another id's.</summary>
    private sealed class SaveThenLoad : ReceivePersistentActor
    {
        public SaveThenLoad(IActorRef report)
        {
            Recover<RecoveryCompleted>(_ => report.Tell("recovered"));
            Command<string>(_ =>
            {
                SaveSnapshot("state");
                LoadSnapshot("another-room", SnapshotSelectionCriteria.Latest, long.MaxValue);
            });
            Command<LoadSnapshotResult>(_ => report.Tell("loaded"));
            Command<SaveSnapshotSuccess>(_ => report.Tell("saved"));
            Command<SaveSnapshotFailure>(failure => report.Tell($"save failed: {failure.Cause.Message}"));
        }

        public override string PersistenceId => "save-then-load";
    }

    [Fact]
    public void A_snapshot_waiting_for_the_write_lock_holds_up_no_read_behind_it()
    {
        var actor = Sys.ActorOf(Props.Create(() => new SaveThenLoad(TestActor)));
        ExpectMsg("recovered", JournalTimeout); // the plugins have created their tables
        using var holder = new SqliteConnection($"Data Source={Database.Path};Pooling=False");
        holder.Open();
        Execute(holder, "BEGIN IMMEDIATE");

        actor.Tell("go");

        // Microsoft.Data.Sqlite runs a query on the thread that starts it: without the plugins' operations moved to
        // the pool, the load would wait in the snapshot store's mailbox until the save behind the lock was done.
        ExpectMsg("loaded", WellWithinTheBusyTimeout);
        Execute(holder, "COMMIT");
        ExpectMsg("saved", JournalTimeout);
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

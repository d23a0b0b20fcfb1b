using AkkaHibernation.Server.Journal;

namespace AkkaHibernation.Tests.Support;

/// <summary>The journal's rows for the node's own warm-up id, read straight from the SQLite file.</summary>
public static class WarmupRows
{
    /// <summary>The sequence numbers of its events and of its snapshots, each in order and comma-separated.</summary>
    public static (string Events, string Snapshots) Read(TestDatabase database) =>
        (SequenceNumbers(database, "journal"), SequenceNumbers(database, "snapshot"));

    private static string SequenceNumbers(TestDatabase database, string table) =>
        string.Join(",", database.Query($"select sequence_number from {table} where persistence_id = '{JournalWarmup.PersistenceId}' order by sequence_number"));
}

using Microsoft.Data.Sqlite;

namespace AkkaHibernation.Bench;

/// <summary>
/// Row counts of one persistence id in a stopped server's SQLite journal (tables <c>journal</c> and
/// <c>snapshot</c>, as Akka.Persistence.Sql creates them), read through a read-only connection.
/// </summary>
public sealed record RoomJournalRows(long JournalRows, long LiveJournalRows, long HighestSequenceNr, long SnapshotRows, long OtherPersistenceIds)
{
    public static RoomJournalRows Read(string databasePath, string persistenceId)
    {
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString();
        using var connection = new SqliteConnection(connectionString);
        connection.Open();

        long Scalar(string sql)
        {
            using var query = connection.CreateCommand();
            query.CommandText = sql;
            query.Parameters.AddWithValue("$id", persistenceId);
            return query.ExecuteScalar() is { } value and not DBNull ? Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        }

        return new RoomJournalRows(
            JournalRows: Scalar("select count(*) from journal where persistence_id = $id"),
            LiveJournalRows: Scalar("select count(*) from journal where persistence_id = $id and deleted = 0"),
            HighestSequenceNr: Scalar("select max(sequence_number) from journal where persistence_id = $id"),
            SnapshotRows: Scalar("select count(*) from snapshot where persistence_id = $id"),
            OtherPersistenceIds: Scalar("select count(distinct persistence_id) from journal where persistence_id <> $id"));
    }
}

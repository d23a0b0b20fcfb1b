using System.Data.Common;
using LinqToDB.Interceptors;
using Microsoft.Data.Sqlite;

namespace AkkaHibernation.Server.Journal;

/// <summary>
/// Gives every SQLite connection the persistence plugins open SQLite's own busy timeout. Without it a statement that
/// finds the write lock taken returns at once and Microsoft.Data.Sqlite sleeps 150 ms before it tries again, on the
/// plugin's thread: with the journal, the snapshot store and their deletes writing on connections of their own, those
/// sleeps held up whole batches of writes. SQLite's handler waits in short steps and proceeds when the lock is free.
/// </summary>
internal sealed class SqliteBusyTimeout(TimeSpan timeout) : ConnectionInterceptor
{
    private readonly int _milliseconds = (int)timeout.TotalMilliseconds;

    public override void ConnectionOpened(ConnectionEventData eventData, DbConnection connection) => Apply(connection);

    public override Task ConnectionOpenedAsync(ConnectionEventData eventData, DbConnection connection, CancellationToken cancellationToken)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    // A pooled connection keeps its native handle and with it the timeout; setting it again on each open costs one
    // native call and needs no bookkeeping of which handles have it.
    private void Apply(DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } handle })
            SQLitePCL.raw.sqlite3_busy_timeout(handle, _milliseconds);
    }
}

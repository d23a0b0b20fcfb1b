using System.Data.Common;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LinqToDB.Interceptors;
using Microsoft.Data.Sqlite;

namespace AkkaHibernation.Server.Journal;

/// <summary>
/// How every SQLite connection the persistence plugins open waits for the file's write lock. The journal, the
/// snapshot store and their deletes write on connections of their own, and SQLite lets one of them write at a time.
/// Left alone, a statement that finds the lock taken returns at once and Microsoft.Data.Sqlite sleeps 150 ms before
/// it tries again; SQLite's own busy timeout sleeps 1, 2, 5, … 100 ms. Either way the lock sits free while its next
/// writer sleeps. Here a waiting connection sleeps until a connection of this process has committed (SQLite's WAL hook
/// runs once the commit has released the lock) and tries again at once, within the busy timeout.
/// </summary>
internal sealed unsafe partial class SqliteWriteLockWait(TimeSpan timeout) : ConnectionInterceptor
{
    private const string Sqlite = "e_sqlite3";

    // SQLite's default wal_autocheckpoint, which it implements as a WAL hook: setting ours replaces it, so ours
    // checkpoints as the default would.
    private const int CheckpointPages = 1000;

    // A lock released by a rollback, or held by another process, is reported by no hook: a waiter also tries again
    // after this long.
    private const int UnreportedReleaseMs = 2;

    private static readonly object Committed = new();

    [ThreadStatic] private static long t_waitingSince;

    private readonly nint _timeoutMs = (nint)timeout.TotalMilliseconds;

    public override void ConnectionOpened(ConnectionEventData eventData, DbConnection connection) => Apply(connection);

    public override Task ConnectionOpenedAsync(ConnectionEventData eventData, DbConnection connection, CancellationToken cancellationToken)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    // A pooled connection keeps its native handle and with it both handlers; setting them again on each open costs
    // two native calls and needs no bookkeeping of which handles have them.
    private void Apply(DbConnection connection)
    {
        if (connection is not SqliteConnection { Handle: { } handle })
            return;
        var db = handle.DangerousGetHandle();
        BusyHandler(db, &OnBusy, _timeoutMs);
        WalHook(db, &OnCommitted, 0);
    }

    /// <summary>SQLite found the lock taken, for the <paramref name="attempt"/>th time: 1 to try again, 0 to fail with SQLITE_BUSY.</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OnBusy(nint timeoutMs, int attempt)
    {
        var now = Stopwatch.GetTimestamp();
        if (attempt == 0)
            t_waitingSince = now;
        else if (Stopwatch.GetElapsedTime(t_waitingSince, now).TotalMilliseconds >= timeoutMs)
            return 0;
        lock (Committed)
            Monitor.Wait(Committed, UnreportedReleaseMs);
        return 1;
    }

    /// <summary>A connection committed and released the lock; the log now holds <paramref name="walPages"/> pages.</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OnCommitted(nint state, nint db, nint databaseName, int walPages)
    {
        lock (Committed)
            Monitor.PulseAll(Committed);
        if (walPages >= CheckpointPages)
            _ = WalCheckpoint(db, databaseName); // passive, as SQLite's own: a busy reader or writer only shortens it
        return 0;
    }

    [LibraryImport(Sqlite, EntryPoint = "sqlite3_busy_handler")]
    private static partial int BusyHandler(nint db, delegate* unmanaged[Cdecl]<nint, int, int> handler, nint state);

    [LibraryImport(Sqlite, EntryPoint = "sqlite3_wal_hook")]
    private static partial nint WalHook(nint db, delegate* unmanaged[Cdecl]<nint, nint, nint, int, int> hook, nint state);

    [LibraryImport(Sqlite, EntryPoint = "sqlite3_wal_checkpoint")]
    private static partial int WalCheckpoint(nint db, nint databaseName);
}

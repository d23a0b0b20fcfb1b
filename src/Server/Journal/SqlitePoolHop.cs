using System.Data.Common;
using LinqToDB.Interceptors;

namespace AkkaHibernation.Server.Journal;

/// <summary>
/// Moves each of the plugins' SQLite operations off the thread that started it. Microsoft.Data.Sqlite runs its async
/// methods synchronously, so a plugin actor that starts a query (the snapshot store loading a waking room's snapshot,
/// the journal replaying its events or deleting rows) ran it to the end in its own turn: every other request to that
/// plugin, a room's recovery among them, queued behind a statement waiting for the write lock. Opening the connection
/// on the thread pool returns the actor's thread at once, as an asynchronous driver would.
/// </summary>
internal sealed class SqlitePoolHop : ConnectionInterceptor
{
    public override Task ConnectionOpeningAsync(ConnectionEventData eventData, DbConnection connection, CancellationToken cancellationToken)
    {
        // Completed on a pool thread, the task runs the rest of the operation (open, statements, commit) right there:
        // no RunContinuationsAsynchronously, which would only add a second hop.
        var hop = new TaskCompletionSource();
        ThreadPool.UnsafeQueueUserWorkItem(static state => ((TaskCompletionSource)state!).SetResult(), hop, preferLocal: false);
        return hop.Task;
    }
}

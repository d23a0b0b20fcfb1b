namespace AkkaHibernation.Host.Journal;

/// <summary>
/// An exclusive lock file beside the database (<c>journal.db.lock</c>) that a running server holds, so that ops
/// commands which write (compaction) can refuse to run beside it. Readers never need it: WAL lets them in.
/// </summary>
public sealed class ServerLock : IDisposable
{
    private readonly FileStream _file;

    private ServerLock(FileStream file) => _file = file;

    /// <summary>The lock file of a database.</summary>
    public static string PathFor(string databasePath) => databasePath + ".lock";

    /// <summary>Takes the lock, or returns null when another process holds it.</summary>
    public static ServerLock? TryAcquire(string databasePath)
    {
        try
        {
            var file = new FileStream(PathFor(databasePath), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            file.SetLength(0);
            var owner = System.Text.Encoding.UTF8.GetBytes($"{Environment.ProcessId}\n");
            file.Write(owner);
            file.Flush();
            return new ServerLock(file);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _file.Dispose();
}

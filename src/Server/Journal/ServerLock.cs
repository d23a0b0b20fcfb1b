namespace AkkaHibernation.Server.Journal;

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

    /// <summary>
    /// Takes the lock a server holds on <paramref name="store"/> while it runs; null when the store has no such lock
    /// because several nodes share it. Throws <see cref="Akka.Configuration.ConfigurationException"/> when another
    /// server holds it.
    /// </summary>
    public static ServerLock? ForServer(JournalStore store) =>
        store.LockedFile is not { } file
            ? null
            : TryAcquire(file) ?? throw new Akka.Configuration.ConfigurationException(
                $"Another server holds {file} (lock file {PathFor(file)}); one database serves one server");

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

    /// <summary>
    /// Takes the lock as soon as the process holding it lets go (a takeover: one server hands the journal to another),
    /// trying every 20 ms; null when it is still held after <paramref name="timeout"/>.
    /// </summary>
    public static async Task<ServerLock?> AcquireWithinAsync(string databasePath, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (TryAcquire(databasePath) is { } taken)
                return taken;
            if (DateTime.UtcNow > deadline)
                return null;
            await Task.Delay(20);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _file.Dispose();
}

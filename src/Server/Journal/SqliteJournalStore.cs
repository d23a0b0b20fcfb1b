using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.Persistence.Sql.Config;
using LinqToDB;
using Microsoft.Data.Sqlite;

namespace AkkaHibernation.Server.Journal;

/// <summary>The default journal: one SQLite file in WAL mode, owned by one server at a time.</summary>
public sealed class SqliteJournalStore : JournalStore
{
    /// <summary>The value of <see cref="JournalStore.ProviderKey"/> that selects this store.</summary>
    public const string ProviderName = "sqlite";

    /// <summary>The HOCON key holding the database path.</summary>
    public const string DatabasePathKey = "akka-hibernation.journal.database-path";

    /// <summary>The HOCON key holding how long a statement waits for another connection's write lock.</summary>
    public const string BusyTimeoutKey = "akka-hibernation.journal.busy-timeout";

    private const string Linq2DbProvider = "SQLite.MS";

    // SQLite has one writer; more parallel writers only contend for its lock. Microsoft.Data.Sqlite begins a
    // transaction at any other isolation level with BEGIN IMMEDIATE, which takes that lock: the plugins' reads (a
    // waking room's snapshot and events) queued with the writes. read-uncommitted is the one level it begins deferred;
    // without a shared cache SQLite still reads only committed rows, from the WAL snapshot the read starts on.
    private static readonly Config Defaults = PluginProvider(Linq2DbProvider)
        .WithFallback(ConfigurationFactory.ParseString("""
            akka.persistence.journal.sql.parallelism = 1
            akka.persistence.journal.sql.read-isolation-level = read-uncommitted
            akka.persistence.snapshot-store.sql.read-isolation-level = read-uncommitted
            akka.persistence.query.journal.sql.read-isolation-level = read-uncommitted
            """));

    internal SqliteJournalStore(Config config) : base(config)
    {
        DatabasePath = Path.GetFullPath(config.GetString(DatabasePathKey) ?? throw new ConfigurationException($"Missing {DatabasePathKey}"));
        BusyTimeout = config.GetTimeSpan(BusyTimeoutKey, TimeSpan.Zero, allowInfinite: false);
        if (BusyTimeout <= TimeSpan.Zero || BusyTimeout.TotalMilliseconds > int.MaxValue)
            throw new ConfigurationException($"{BusyTimeoutKey} must be positive and at most {int.MaxValue} ms (got {config.GetString(BusyTimeoutKey) ?? "nothing"})");
    }

    /// <summary>How long a statement waits for another connection's write lock before it fails.</summary>
    public TimeSpan BusyTimeout { get; }

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath { get; }

    /// <inheritdoc />
    public override string Description => DatabasePath;

    /// <inheritdoc />
    public override string LockedFile => DatabasePath;

    /// <inheritdoc />
    public override bool Exists => File.Exists(DatabasePath);

    /// <summary>
    /// Creates the file's directory, switches the database to WAL (so readers such as ops scripts never stall the
    /// server's writes; the mode persists in the file) and returns config that points every plugin at it.
    /// </summary>
    public override Config Prepare()
    {
        var directory = Path.GetDirectoryName(DatabasePath);
        if (!string.IsNullOrEmpty(directory))
            Directory.CreateDirectory(directory);

        var connectionString = ConnectionString(DatabasePath);
        using (var connection = new SqliteConnection(connectionString))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode=WAL;";
            var mode = command.ExecuteScalar() as string;
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
                throw new InvalidOperationException($"Could not switch {DatabasePath} to WAL mode (got '{mode}')");
        }
        return PluginConfig(connectionString, autoInitialize: true, Defaults);
    }

    /// <summary>Config that points every plugin at the existing file, opened read-only and never altered.</summary>
    public override Config ReadOnly() =>
        PluginConfig(new SqliteConnectionStringBuilder(ConnectionString(DatabasePath)) { Mode = SqliteOpenMode.ReadOnly }.ToString(),
            autoInitialize: false, Defaults);

    /// <summary>
    /// The plugins' connections as linq2db opens them: to the file <paramref name="plugins"/> names (read-only or
    /// not), opened off the plugin actor's thread (<see cref="SqlitePoolHop"/>), waiting for the write lock until a
    /// commit frees it, within the busy timeout (<see cref="SqliteWriteLockWait"/>).
    /// </summary>
    internal DataOptions ConnectionOptions(Config plugins) =>
        new DataOptions()
            .UseConnectionString(Linq2DbProvider, plugins.GetString("akka.persistence.journal.sql.connection-string"))
            .UseInterceptors(new SqlitePoolHop(), new SqliteWriteLockWait(BusyTimeout));

    // The journal, the snapshot store and the read journal all take these options (they share the connection string).
    private protected override Setup ConnectionSetup(Config plugins) => new DataOptionsSetup(ConnectionOptions(plugins));

    /// <summary>The connection string for a database file.</summary>
    public static string ConnectionString(string path) =>
        new SqliteConnectionStringBuilder { DataSource = path, Pooling = true }.ToString();
}

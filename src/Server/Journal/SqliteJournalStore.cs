using Akka.Configuration;
using Microsoft.Data.Sqlite;

namespace AkkaHibernation.Server.Journal;

/// <summary>The default journal: one SQLite file in WAL mode, owned by one server at a time.</summary>
public sealed class SqliteJournalStore : JournalStore
{
    /// <summary>The value of <see cref="JournalStore.ProviderKey"/> that selects this store.</summary>
    public const string ProviderName = "sqlite";

    /// <summary>The HOCON key holding the database path.</summary>
    public const string DatabasePathKey = "akka-hibernation.journal.database-path";

    // SQLite has one writer; more parallel writers only contend for its lock.
    private static readonly Config Defaults = PluginProvider("SQLite.MS")
        .WithFallback(ConfigurationFactory.ParseString("akka.persistence.journal.sql.parallelism = 1"));

    internal SqliteJournalStore(Config config) : base(config) =>
        DatabasePath = Path.GetFullPath(config.GetString(DatabasePathKey) ?? throw new ConfigurationException($"Missing {DatabasePathKey}"));

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

    /// <summary>The connection string for a database file.</summary>
    public static string ConnectionString(string path) =>
        new SqliteConnectionStringBuilder { DataSource = path, Pooling = true }.ToString();
}

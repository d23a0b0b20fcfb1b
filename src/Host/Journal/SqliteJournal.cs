using Akka.Configuration;
using Microsoft.Data.Sqlite;

namespace AkkaHibernation.Host.Journal;

/// <summary>Prepares the SQLite journal file (directory, WAL mode) and the persistence plugins' connection strings.</summary>
public static class SqliteJournal
{
    /// <summary>The HOCON key holding the database path.</summary>
    public const string DatabasePathKey = "akka-hibernation.journal.database-path";

    /// <summary>The full path of the configured database file.</summary>
    public static string DatabasePath(Config config) =>
        Path.GetFullPath(config.GetString(DatabasePathKey) ?? throw new ConfigurationException($"Missing {DatabasePathKey}"));

    /// <summary>
    /// Creates the file's directory, switches the database to WAL (so readers such as ops scripts never stall the
    /// server's writes; the mode persists in the file) and returns config that points every plugin at it.
    /// </summary>
    public static Config Prepare(Config config)
    {
        var path = DatabasePath(config);
        var directory = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(directory))
            Directory.CreateDirectory(directory);

        var connectionString = ConnectionString(path);
        using (var connection = new SqliteConnection(connectionString))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode=WAL;";
            var mode = command.ExecuteScalar() as string;
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
                throw new InvalidOperationException($"Could not switch {path} to WAL mode (got '{mode}')");
        }
        return PluginConfig(connectionString, autoInitialize: true);
    }

    /// <summary>Config that points every plugin at an existing file, opened read-only and never altered.</summary>
    public static Config ReadOnly(string path) =>
        PluginConfig(new SqliteConnectionStringBuilder(ConnectionString(path)) { Mode = SqliteOpenMode.ReadOnly }.ToString(),
            autoInitialize: false);

    /// <summary>The connection string for a database file.</summary>
    public static string ConnectionString(string path) =>
        new SqliteConnectionStringBuilder { DataSource = path, Pooling = true }.ToString();

    private static Config PluginConfig(string connectionString, bool autoInitialize)
    {
        var quoted = System.Text.Json.JsonSerializer.Serialize(connectionString);
        var initialize = autoInitialize ? "on" : "off";
        return ConfigurationFactory.ParseString($"""
            akka.persistence.journal.sql.connection-string = {quoted}
            akka.persistence.journal.sql.auto-initialize = {initialize}
            akka.persistence.snapshot-store.sql.connection-string = {quoted}
            akka.persistence.snapshot-store.sql.auto-initialize = {initialize}
            akka.persistence.query.journal.sql.connection-string = {quoted}
            """);
    }
}

using Akka.Configuration;
using AkkaHibernation.Server.Configuration;
using AkkaHibernation.Server.Journal;
using Akka.Persistence.Sql.Config;
using LinqToDB.Data;
using Microsoft.Data.Sqlite;
using Xunit;

namespace AkkaHibernation.Tests.Journal;

/// <summary>
/// Which journal store the settings select, the plugin config each gives, and how the SQLite plugins' connections
/// are opened (on a file of the test's own; no server is contacted).
/// </summary>
public sealed class JournalStoreSpecs
{
    private const string Postgres = "Host=db.example;Port=5433;Database=rooms;Username=app;Password=hunter2";

    private static JournalStore Store(HostOverrides overrides) =>
        JournalStore.FromConfig(HoconLoader.Load(HoconLoader.DefaultDirectory, overrides.ToConfig()));

    [Fact]
    public void SQLite_is_the_default_and_keeps_its_single_writer_and_server_lock()
    {
        using var database = new Support.TestDatabase();
        var store = Assert.IsType<SqliteJournalStore>(Store(new HostOverrides(null, database.Path, null, [])));

        var config = store.Prepare();

        Assert.Equal(database.Path, store.LockedFile);
        Assert.Equal("SQLite.MS", config.GetString("akka.persistence.journal.sql.provider-name"));
        Assert.Equal("SQLite.MS", config.GetString("akka.persistence.query.journal.sql.provider-name"));
        Assert.Equal(1, config.GetInt("akka.persistence.journal.sql.parallelism"));
        // The one level Microsoft.Data.Sqlite begins without taking the write lock (BEGIN rather than BEGIN IMMEDIATE).
        foreach (var plugin in new[] { "journal.sql", "snapshot-store.sql", "query.journal.sql" })
            Assert.Equal("read-uncommitted", config.GetString($"akka.persistence.{plugin}.read-isolation-level"));
    }

    [Fact]
    public void A_hocon_override_of_a_plugin_setting_still_wins_over_the_store_defaults()
    {
        using var database = new Support.TestDatabase();
        var store = Store(new HostOverrides(null, database.Path, null, ["akka.persistence.journal.sql.parallelism = 4"]));

        Assert.Equal(4, store.Prepare().GetInt("akka.persistence.journal.sql.parallelism"));
    }

    [Fact]
    public void The_postgres_override_selects_PostgreSQL_with_no_server_lock()
    {
        var store = Assert.IsType<PostgresJournalStore>(Store(new HostOverrides(null, null, null, [], PostgresConnectionString: Postgres)));

        var config = store.Prepare();

        Assert.Null(store.LockedFile);
        Assert.Equal("PostgreSQL database 'rooms' on db.example:5433", store.Description);
        foreach (var plugin in new[] { "journal.sql", "snapshot-store.sql", "query.journal.sql" })
        {
            Assert.Equal("PostgreSQL.15", config.GetString($"akka.persistence.{plugin}.provider-name"));
            Assert.Equal(Postgres, config.GetString($"akka.persistence.{plugin}.connection-string"));
        }
        Assert.True(config.GetBoolean("akka.persistence.journal.sql.auto-initialize"));
        Assert.True(config.GetBoolean("akka.persistence.snapshot-store.sql.auto-initialize"));
        // Left to the plugin's own default: PostgreSQL takes concurrent writers.
        Assert.False(config.HasPath("akka.persistence.journal.sql.parallelism"));
    }

    [Fact]
    public void Reading_PostgreSQL_never_initialises_it()
    {
        var config = Store(new HostOverrides(null, null, null, [], PostgresConnectionString: Postgres)).ReadOnly();

        Assert.False(config.GetBoolean("akka.persistence.journal.sql.auto-initialize"));
        Assert.False(config.GetBoolean("akka.persistence.snapshot-store.sql.auto-initialize"));
    }

    [Fact]
    public void The_environment_variable_selects_PostgreSQL_too()
    {
        var overrides = new HostOverrides(null, null, null, [])
            .WithEnvironment(name => name == HostOverrides.PostgresVariable ? Postgres : null);

        Assert.IsType<PostgresJournalStore>(Store(overrides));
    }

    [Theory]
    [InlineData(null, 30_000)]
    [InlineData("akka-hibernation.journal.busy-timeout = 2s", 2_000)]
    public void The_busy_timeout_is_read_from_the_journal_settings(string? hocon, double expectedMilliseconds)
    {
        using var database = new Support.TestDatabase();

        var store = Assert.IsType<SqliteJournalStore>(Store(new HostOverrides(null, database.Path, null, hocon is null ? [] : [hocon])));

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMilliseconds), store.BusyTimeout);
    }

    [Fact]
    public void A_plugin_connection_gives_up_on_a_write_lock_that_is_never_freed()
    {
        using var database = new Support.TestDatabase();
        var store = Assert.IsType<SqliteJournalStore>(Store(new HostOverrides(null, database.Path, null, ["akka-hibernation.journal.busy-timeout = 200ms"])));
        var options = store.ConnectionOptions(store.Prepare());
        using var holder = new SqliteConnection(SqliteJournalStore.ConnectionString(database.Path));
        holder.Open();
        Execute(holder, "CREATE TABLE probe (id INTEGER)");
        Execute(holder, "BEGIN IMMEDIATE");

        // Opened as the plugins open theirs; the driver's own retries end after the command timeout.
        using var waiting = new DataConnection(options) { CommandTimeout = 1 };
        var write = Task.Run(() => waiting.Execute("INSERT INTO probe VALUES (1)"));

        var error = Assert.Throws<SqliteException>(() => write.WaitAsync(TimeSpan.FromSeconds(20)).GetAwaiter().GetResult());
        Assert.Equal(5, error.SqliteErrorCode); // SQLITE_BUSY: "database is locked"
    }

    [Fact]
    public void The_plugins_connections_still_checkpoint_the_write_ahead_log()
    {
        using var database = new Support.TestDatabase();
        var store = Assert.IsType<SqliteJournalStore>(Store(new HostOverrides(null, database.Path, null, [])));
        using var connection = new DataConnection(store.ConnectionOptions(store.Prepare()));
        connection.Execute("CREATE TABLE probe (payload BLOB)");

        // 3,000 commits of a page each: three times the log SQLite checkpoints at on its own, whose hook ours replaces.
        for (var i = 0; i < 3_000; i++)
            connection.Execute("INSERT INTO probe VALUES (zeroblob(4000))");

        var walPages = new FileInfo(database.Path + "-wal").Length / 4096;
        Assert.InRange(walPages, 1, 1_500);
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    [Fact]
    public void Only_the_SQLite_store_sets_up_the_plugins_connections_beyond_their_config()
    {
        using var database = new Support.TestDatabase();
        var sqlite = Store(new HostOverrides(null, database.Path, null, []));
        var postgres = Store(new HostOverrides(null, null, null, [], PostgresConnectionString: Postgres));

        Assert.True(sqlite.SystemSetup(sqlite.Prepare()).Get<DataOptionsSetup>().HasValue);
        Assert.False(postgres.SystemSetup(postgres.Prepare()).Get<DataOptionsSetup>().HasValue);
    }

    [Fact]
    public void Reading_SQLite_opens_the_plugins_connections_read_only()
    {
        using var database = new Support.TestDatabase();
        var store = Assert.IsType<SqliteJournalStore>(Store(new HostOverrides(null, database.Path, null, [])));
        store.Prepare();

        using var connection = new DataConnection(store.ConnectionOptions(store.ReadOnly()));

        Assert.Equal(database.Path, connection.Execute<string>("SELECT file FROM pragma_database_list WHERE name = 'main'"));
        var error = Assert.Throws<SqliteException>(() => connection.Execute("CREATE TABLE probe (id INTEGER)"));
        Assert.Equal(8, error.SqliteErrorCode); // SQLITE_READONLY
    }

    [Theory]
    [InlineData("akka-hibernation.journal.provider = oracle", "expected sqlite or postgresql")]
    [InlineData("akka-hibernation.journal.provider = postgresql", "--postgres")]
    [InlineData("akka-hibernation.journal { provider = postgresql, postgresql.connection-string = \"Hots=x\" }", "not an Npgsql connection string")]
    [InlineData("akka-hibernation.journal.busy-timeout = 0s", "akka-hibernation.journal.busy-timeout must be positive")]
    [InlineData("akka-hibernation.journal.busy-timeout = 30d", "at most 2147483647 ms (got 30d)")]
    public void A_bad_journal_setting_is_a_configuration_error_that_says_what_is_wrong(string hocon, string expected)
    {
        var error = Assert.Throws<ConfigurationException>(() => Store(new HostOverrides(null, null, null, [hocon])));

        Assert.Contains(expected, error.Message);
    }
}

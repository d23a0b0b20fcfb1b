using Akka.Configuration;
using AkkaHibernation.Server.Configuration;
using AkkaHibernation.Server.Journal;
using Xunit;

namespace AkkaHibernation.Tests.Journal;

/// <summary>Which journal store the settings select, and the plugin config each gives (no database is touched).</summary>
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
    [InlineData("akka-hibernation.journal.provider = oracle", "expected sqlite or postgresql")]
    [InlineData("akka-hibernation.journal.provider = postgresql", "--postgres")]
    [InlineData("akka-hibernation.journal { provider = postgresql, postgresql.connection-string = \"Hots=x\" }", "not an Npgsql connection string")]
    public void A_bad_journal_setting_is_a_configuration_error_that_says_what_is_wrong(string hocon, string expected)
    {
        var error = Assert.Throws<ConfigurationException>(() => Store(new HostOverrides(null, null, null, [hocon])));

        Assert.Contains(expected, error.Message);
    }
}

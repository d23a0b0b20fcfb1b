using Akka.Configuration;
using Npgsql;

namespace AkkaHibernation.Server.Journal;

/// <summary>A journal in a PostgreSQL database, which several nodes may share (cluster mode), so no server lock applies.</summary>
public sealed class PostgresJournalStore : JournalStore
{
    /// <summary>The value of <see cref="JournalStore.ProviderKey"/> that selects this store.</summary>
    public const string ProviderName = "postgresql";

    /// <summary>The HOCON key holding the Npgsql connection string.</summary>
    public const string ConnectionStringKey = "akka-hibernation.journal.postgresql.connection-string";

    // The journal's parallelism stays at the plugin's default: unlike SQLite, PostgreSQL takes concurrent writers.
    private static readonly Config Defaults = PluginProvider("PostgreSQL.15");

    private readonly string _connectionString;

    internal PostgresJournalStore(Config config) : base(config)
    {
        _connectionString = config.GetString(ConnectionStringKey, "");
        if (string.IsNullOrWhiteSpace(_connectionString))
        {
            throw new ConfigurationException(
                $"{ProviderKey} = {ProviderName} needs {ConnectionStringKey} (or --postgres / AKKAHIBERNATION_POSTGRES)");
        }
        NpgsqlConnectionStringBuilder parsed;
        try
        {
            parsed = new NpgsqlConnectionStringBuilder(_connectionString);
        }
        catch (Exception error) when (error is ArgumentException or FormatException)
        {
            // The builder's message names the keyword at fault, not the string itself (which may hold a password).
            throw new ConfigurationException($"{ConnectionStringKey} is not an Npgsql connection string: {error.Message}");
        }
        Description = $"PostgreSQL database '{parsed.Database}' on {parsed.Host}:{parsed.Port}";
    }

    /// <inheritdoc />
    public override string Description { get; }

    /// <inheritdoc />
    public override string? LockedFile => null;

    /// <summary>Always true: whether the database exists is known only by connecting, which fails with PostgreSQL's own message.</summary>
    public override bool Exists => true;

    /// <inheritdoc />
    public override async Task CheckReachableAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
    }

    /// <summary>
    /// The tables are created on first use (<c>auto-initialize</c>); several nodes starting at once on an empty
    /// database do not race.
    /// </summary>
    public override Config Prepare() => PluginConfig(_connectionString, autoInitialize: true, Defaults);

    /// <inheritdoc />
    public override Config ReadOnly() => PluginConfig(_connectionString, autoInitialize: false, Defaults);
}

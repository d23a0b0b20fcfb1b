using System.Text.Json;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;

namespace AkkaHibernation.Server.Journal;

/// <summary>
/// Where the journal lives, chosen by <c>akka-hibernation.journal.provider</c>: it turns the host config into the
/// persistence plugins' config, names the store for logs and messages, and says whether one server owns it.
/// </summary>
public abstract class JournalStore
{
    /// <summary>The HOCON key that selects the store.</summary>
    public const string ProviderKey = "akka-hibernation.journal.provider";

    private protected JournalStore(Config config) => HostConfig = config;

    /// <summary>The host config the store was chosen from.</summary>
    protected Config HostConfig { get; }

    /// <summary>How logs and operator messages name the store (never with a password).</summary>
    public abstract string Description { get; }

    /// <summary>
    /// The file a running server holds a <see cref="ServerLock"/> on, or null when no single-server lock applies
    /// because several nodes share the store.
    /// </summary>
    public abstract string? LockedFile { get; }

    /// <summary>False when there is certainly no journal to read (an ops command then has nothing to open).</summary>
    public abstract bool Exists { get; }

    /// <summary>The store of <paramref name="config"/>; throws <see cref="ConfigurationException"/> on a bad setting.</summary>
    public static JournalStore FromConfig(Config config) =>
        // A HOCON folder written before the key existed means what it meant then: SQLite.
        config.GetString(ProviderKey, SqliteJournalStore.ProviderName) switch
        {
            SqliteJournalStore.ProviderName => new SqliteJournalStore(config),
            PostgresJournalStore.ProviderName => new PostgresJournalStore(config),
            var other => throw new ConfigurationException(
                $"{ProviderKey} = '{other}': expected {SqliteJournalStore.ProviderName} or {PostgresJournalStore.ProviderName}"),
        };

    /// <summary>
    /// Connects once when the store is a server, so that a wrong address, login or database name fails with the
    /// server's own message; a local file needs no such check (<see cref="Prepare"/> has opened it).
    /// </summary>
    public virtual Task CheckReachableAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Makes the store ready for a server or a writing ops command (creating what is missing) and returns the host
    /// config with every persistence plugin pointed at it.
    /// </summary>
    public abstract Config Prepare();

    /// <summary>The host config with every plugin pointed at the store for reading only: nothing is created or altered.</summary>
    public abstract Config ReadOnly();

    /// <summary>
    /// The actor system's setup for <paramref name="plugins"/> (what <see cref="Prepare"/> or <see cref="ReadOnly"/>
    /// gave, with anything laid over it): that config, and what the store's connections need that config cannot say.
    /// </summary>
    public ActorSystemSetup SystemSetup(Config plugins)
    {
        var bootstrap = BootstrapSetup.Create().WithConfig(plugins);
        return ConnectionSetup(plugins) is { } connections ? bootstrap.And(connections) : ActorSystemSetup.Create(bootstrap);
    }

    /// <summary>How the plugins open their connections to this store, when the plugins' config is not enough; null when it is.</summary>
    private protected virtual Setup? ConnectionSetup(Config plugins) => null;

    /// <summary>
    /// The connection layer over the host config, over <paramref name="providerDefaults"/>: the store decides the
    /// connection, while settings such as the journal's parallelism stay open to <c>--hocon</c> overrides.
    /// </summary>
    private protected Config PluginConfig(string connectionString, bool autoInitialize, Config providerDefaults)
    {
        var quoted = JsonSerializer.Serialize(connectionString);
        var initialize = autoInitialize ? "on" : "off";
        return ConfigurationFactory.ParseString($"""
                akka.persistence.journal.sql.connection-string = {quoted}
                akka.persistence.journal.sql.auto-initialize = {initialize}
                akka.persistence.snapshot-store.sql.connection-string = {quoted}
                akka.persistence.snapshot-store.sql.auto-initialize = {initialize}
                akka.persistence.query.journal.sql.connection-string = {quoted}
                """)
            .WithFallback(HostConfig)
            .WithFallback(providerDefaults);
    }

    /// <summary>The same Akka.Persistence.Sql provider name on the journal, the snapshot store and the read journal.</summary>
    private protected static Config PluginProvider(string linq2DbProvider)
    {
        var quoted = JsonSerializer.Serialize(linq2DbProvider);
        return ConfigurationFactory.ParseString($"""
            akka.persistence.journal.sql.provider-name = {quoted}
            akka.persistence.snapshot-store.sql.provider-name = {quoted}
            akka.persistence.query.journal.sql.provider-name = {quoted}
            """);
    }
}

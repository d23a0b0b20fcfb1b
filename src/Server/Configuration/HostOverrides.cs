using System.Text;
using System.Text.Json;
using Akka.Configuration;
using AkkaHibernation.Actors.Hibernation;
using AkkaHibernation.Server.Journal;
using AkkaHibernation.Transport;

namespace AkkaHibernation.Server.Configuration;

/// <summary>
/// The settings an operator most often changes, given on the command line or in the environment, turned into a
/// HOCON layer over the shipped files. Command-line values win over environment values.
/// </summary>
/// <param name="ListenPrefixes">Comma-separated HttpListener prefixes (<c>--listen</c>, <c>AKKAHIBERNATION_LISTEN</c>).</param>
/// <param name="DatabasePath">The SQLite journal file (<c>--database</c>, <c>AKKAHIBERNATION_DATABASE</c>).</param>
/// <param name="IdleTimeout">A HOCON duration such as <c>10s</c> (<c>--idle-timeout</c>, <c>AKKAHIBERNATION_IDLE_TIMEOUT</c>).</param>
/// <param name="Hocon">Any further HOCON lines (<c>--hocon</c>, <c>AKKAHIBERNATION_HOCON</c>).</param>
/// <param name="AdminPrefixes">Comma-separated admin prefixes, or <c>off</c> (<c>--admin</c>, <c>AKKAHIBERNATION_ADMIN</c>).</param>
/// <param name="PostgresConnectionString">
/// An Npgsql connection string that puts the journal in PostgreSQL (<c>--postgres</c>, <c>AKKAHIBERNATION_POSTGRES</c>).
/// </param>
/// <param name="TakeOver">Take over from the server running on the journal (<c>--takeover</c>; a flag for one run, so no variable).</param>
public sealed record HostOverrides(
    string? ListenPrefixes,
    string? DatabasePath,
    string? IdleTimeout,
    IReadOnlyList<string> Hocon,
    string? AdminPrefixes = null,
    string? PostgresConnectionString = null,
    bool TakeOver = false)
{
    /// <summary>Environment variable for the admin prefixes.</summary>
    public const string AdminVariable = "AKKAHIBERNATION_ADMIN";

    /// <summary>Environment variable for the listen prefixes.</summary>
    public const string ListenVariable = "AKKAHIBERNATION_LISTEN";

    /// <summary>Environment variable for the database path.</summary>
    public const string DatabaseVariable = "AKKAHIBERNATION_DATABASE";

    /// <summary>Environment variable for the PostgreSQL connection string.</summary>
    public const string PostgresVariable = "AKKAHIBERNATION_POSTGRES";

    /// <summary>Environment variable for the idle timeout.</summary>
    public const string IdleTimeoutVariable = "AKKAHIBERNATION_IDLE_TIMEOUT";

    /// <summary>Environment variable for extra HOCON.</summary>
    public const string HoconVariable = "AKKAHIBERNATION_HOCON";

    /// <summary>Fills values the command line left out from the environment.</summary>
    public HostOverrides WithEnvironment(Func<string, string?> environment) => new(
        ListenPrefixes ?? environment(ListenVariable),
        DatabasePath ?? environment(DatabaseVariable),
        IdleTimeout ?? environment(IdleTimeoutVariable),
        environment(HoconVariable) is { Length: > 0 } hocon ? [hocon, .. Hocon] : Hocon,
        AdminPrefixes ?? environment(AdminVariable),
        PostgresConnectionString ?? environment(PostgresVariable),
        TakeOver);

    /// <summary>The HOCON layer; throws <see cref="ConfigurationException"/> with the offending value when one is invalid.</summary>
    public Config ToConfig()
    {
        var text = new StringBuilder();
        if (ListenPrefixes is not null)
        {
            var prefixes = ListenPrefixes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            text.AppendLine($"{TransportSettings.ConfigPath}.prefixes = {JsonSerializer.Serialize(prefixes)}");
        }
        if (AdminPrefixes is "off")
        {
            text.AppendLine("akka-hibernation.admin.enabled = off");
        }
        else if (AdminPrefixes is not null)
        {
            var prefixes = AdminPrefixes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            text.AppendLine($"akka-hibernation.admin.prefixes = {JsonSerializer.Serialize(prefixes)}");
        }
        if (DatabasePath is not null)
            text.AppendLine($"{SqliteJournalStore.DatabasePathKey} = {JsonSerializer.Serialize(DatabasePath)}");
        if (PostgresConnectionString is not null)
        {
            text.AppendLine($"{JournalStore.ProviderKey} = {PostgresJournalStore.ProviderName}");
            text.AppendLine($"{PostgresJournalStore.ConnectionStringKey} = {JsonSerializer.Serialize(PostgresConnectionString)}");
        }
        if (IdleTimeout is not null)
        {
            text.AppendLine($"{HibernationSettings.ConfigPath}.idle-timeout = {JsonSerializer.Serialize(IdleTimeout)}");
        }
        if (TakeOver)
            text.AppendLine($"{Takeover.TakeoverSettings.TakeOverKey} = on");
        foreach (var line in Hocon)
            text.AppendLine(line);

        var config = ConfigurationFactory.ParseString(text.ToString());
        if (IdleTimeout is not null)
            RequireDuration(config, $"{HibernationSettings.ConfigPath}.idle-timeout", IdleTimeout);
        return config;
    }

    private static void RequireDuration(Config config, string path, string value)
    {
        try
        {
            if (config.GetTimeSpan(path) > TimeSpan.Zero)
                return;
        }
        catch (Exception error) when (error is FormatException or ConfigurationException or OverflowException)
        {
            // reported below
        }
        throw new ConfigurationException($"Idle timeout '{value}' is not a positive duration such as 10s or 500ms");
    }
}

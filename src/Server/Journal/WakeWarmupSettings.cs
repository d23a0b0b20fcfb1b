using Akka.Configuration;

namespace AkkaHibernation.Server.Journal;

/// <summary>How often, after the start, the node runs a wake's path on its own (<c>akka-hibernation.host.wake-warmup</c>).</summary>
/// <param name="Rounds">How many times; 0 turns it off.</param>
/// <param name="Interval">The pause before each round.</param>
/// <param name="MaxCpu">
/// The share of one core the process may have used in the interval before a round for the round to run; after a busier
/// interval the round waits for the next one.
/// </param>
internal sealed record WakeWarmupSettings(int Rounds, TimeSpan Interval, double MaxCpu)
{
    /// <summary>The HOCON path of these settings.</summary>
    public const string ConfigPath = "akka-hibernation.host.wake-warmup";

    /// <summary>Reads the settings; every key must be present.</summary>
    public static WakeWarmupSettings FromConfig(Config root)
    {
        var c = root.GetConfig(ConfigPath) ?? throw new ConfigurationException($"Missing HOCON section {ConfigPath}");
        var settings = new WakeWarmupSettings(c.GetInt("rounds"), c.GetTimeSpan("interval"), c.GetDouble("max-cpu"));
        if (settings.Rounds < 0 || settings.Interval <= TimeSpan.Zero || settings.MaxCpu <= 0)
            throw new ConfigurationException(
                $"{ConfigPath}: rounds must not be negative, interval and max-cpu must be positive (got {settings.Rounds}, {settings.Interval} and {settings.MaxCpu})");
        return settings;
    }
}

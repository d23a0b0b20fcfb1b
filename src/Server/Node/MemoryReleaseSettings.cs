using Akka.Configuration;

namespace AkkaHibernation.Server.Node;

/// <summary>When the host gives memory back to the OS after rooms hibernate (<c>akka-hibernation.host.memory-release</c>).</summary>
/// <param name="Enabled">Off: the GC keeps freed pages, as it does by default.</param>
/// <param name="CheckInterval">How often hibernations are checked; a release waits for one check without new ones.</param>
/// <param name="MinInterval">Least time between two releases, so a server with constant churn is not paused often.</param>
internal sealed record MemoryReleaseSettings(bool Enabled, TimeSpan CheckInterval, TimeSpan MinInterval)
{
    /// <summary>The HOCON path of these settings.</summary>
    public const string ConfigPath = "akka-hibernation.host.memory-release";

    /// <summary>Reads the settings; every key must be present.</summary>
    public static MemoryReleaseSettings FromConfig(Config root)
    {
        var c = root.GetConfig(ConfigPath) ?? throw new ConfigurationException($"Missing HOCON section {ConfigPath}");
        var settings = new MemoryReleaseSettings(c.GetBoolean("enabled"), c.GetTimeSpan("check-interval"), c.GetTimeSpan("min-interval"));
        if (settings.CheckInterval <= TimeSpan.Zero || settings.MinInterval < TimeSpan.Zero)
            throw new ConfigurationException($"{ConfigPath}: check-interval must be positive and min-interval not negative");
        return settings;
    }
}

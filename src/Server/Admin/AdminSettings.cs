using Akka.Configuration;

namespace AkkaHibernation.Server.Admin;

/// <summary>The admin listener's settings, read once from <c>akka-hibernation.admin</c>.</summary>
/// <param name="Enabled">Whether the admin listener runs at all.</param>
/// <param name="Prefixes">HttpListener prefixes for /healthz, /readyz and /metrics.</param>
/// <param name="ReadinessTimeout">How long /readyz waits for the journal.</param>
public sealed record AdminSettings(bool Enabled, IReadOnlyList<string> Prefixes, TimeSpan ReadinessTimeout)
{
    /// <summary>The HOCON path these settings live under.</summary>
    public const string ConfigPath = "akka-hibernation.admin";

    /// <summary>Reads the settings; every key must be present (defaults live in <c>hocon/admin.hocon</c>).</summary>
    public static AdminSettings FromConfig(Config root)
    {
        var c = root.GetConfig(ConfigPath) ?? throw new ConfigurationException($"Missing HOCON section {ConfigPath}");
        var settings = new AdminSettings(c.GetBoolean("enabled"), c.GetStringList("prefixes").ToList(), c.GetTimeSpan("readiness-timeout"));
        if (settings.Enabled && settings.Prefixes.Any(p => !p.EndsWith('/') || !p.StartsWith("http://", StringComparison.Ordinal)))
            throw new ConfigurationException($"{ConfigPath}.prefixes need http://host:port/ with a trailing slash");
        return settings;
    }
}

using Akka.Configuration;
using AkkaHibernation.Server.Journal;
using AkkaHibernation.Transport.Takeover;

namespace AkkaHibernation.Server.Takeover;

/// <summary>How a server is taken over, or takes over (<c>akka-hibernation.host.takeover</c>).</summary>
/// <param name="ControlSocket">The Unix domain socket a running server listens on for a takeover; null: it cannot be taken over.</param>
/// <param name="FreezeTimeout">How long a socket's reader and writer may take to park before the socket is left out.</param>
/// <param name="HibernateTimeout">How long resident rooms may take to hibernate for the hand-over.</param>
/// <param name="StepTimeout">How long either process waits for the other's next step.</param>
/// <param name="TakeOver">This process takes over from the one running on the journal (<c>--takeover</c>).</param>
public sealed record TakeoverSettings(string? ControlSocket, TimeSpan FreezeTimeout, TimeSpan HibernateTimeout, TimeSpan StepTimeout, bool TakeOver)
{
    /// <summary>The HOCON path of these settings.</summary>
    public const string ConfigPath = "akka-hibernation.host.takeover";

    /// <summary>The key <c>--takeover</c> sets.</summary>
    public const string TakeOverKey = ConfigPath + ".take-over";

    /// <summary>The control socket beside an SQLite journal.</summary>
    public static string BesideDatabase(string databasePath) => databasePath + ".takeover";

    /// <summary>Reads the settings for a server on <paramref name="journal"/>; throws <see cref="ConfigurationException"/> on a bad value.</summary>
    public static TakeoverSettings FromConfig(Config root, JournalStore journal)
    {
        var c = root.GetConfig(ConfigPath) ?? throw new ConfigurationException($"Missing HOCON section {ConfigPath}");
        var configured = c.GetString("control-socket", "");
        var socket = configured switch
        {
            "off" => null,
            "" => journal.LockedFile is { } database ? BesideDatabase(Path.GetFullPath(database)) : null,
            _ => Path.GetFullPath(configured),
        };
        var settings = new TakeoverSettings(socket, c.GetTimeSpan("freeze-timeout"), c.GetTimeSpan("hibernate-timeout"),
            c.GetTimeSpan("step-timeout"), c.GetBoolean("take-over"));
        if (settings.FreezeTimeout <= TimeSpan.Zero || settings.HibernateTimeout <= TimeSpan.Zero || settings.StepTimeout <= TimeSpan.Zero)
            throw new ConfigurationException($"{ConfigPath}: freeze-timeout, hibernate-timeout and step-timeout must be positive");
        if (socket is not null && System.Text.Encoding.UTF8.GetByteCount(socket) > TakeoverLink.MaxPathBytes)
            throw new ConfigurationException(
                $"{ConfigPath}.control-socket: '{socket}' is longer than a control socket path may be ({TakeoverLink.MaxPathBytes} bytes); set a shorter path");
        return settings;
    }
}

namespace AkkaHibernation.Bench;

/// <summary>The <c>dotnet</c> command line that starts a server under test on a given port and journal folder.</summary>
public sealed class ServerCommand
{
    private readonly Func<int, string, IEnumerable<string>> _arguments;

    private ServerCommand(Target target, Func<int, string, IEnumerable<string>> arguments)
    {
        Target = target;
        _arguments = arguments;
    }

    public Target Target { get; }

    /// <summary>
    /// The memory release at most a second apart instead of the shipped 30 s, for scenarios that read the node settled
    /// after each wave of hibernations.
    /// </summary>
    public const string ReleaseMemorySoon = "akka-hibernation.host.memory-release.min-interval = 1s";

    /// <summary>
    /// The built host with a journal in the data folder, the given idle timeout (a HOCON duration) and any other
    /// HOCON settings (<c>key = value</c>) on top of the shipped ones.
    /// </summary>
    public static ServerCommand Host(string hostDll, string idleTimeout, params string[] hocon) => new(Target.Server, (port, dataDirectory) =>
    [
        hostDll,
        "--listen", $"http://127.0.0.1:{port}/",
        "--database", JournalPath(dataDirectory),
        "--idle-timeout", idleTimeout,
        .. hocon.SelectMany(setting => new[] { "--hocon", setting }),
    ]);

    /// <summary>This bench binary in its <c>serve-baseline</c> mode; it keeps nothing on disk and never hibernates.</summary>
    public static ServerCommand Baseline() => new(Target.Baseline, (port, _) =>
        [typeof(ServerCommand).Assembly.Location, AkkaHibernation.Bench.Baseline.BaselineServer.Mode, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

    /// <summary>The command for <paramref name="target"/>: the host (with <paramref name="idleTimeout"/>) or the baseline.</summary>
    public static ServerCommand For(Target target, string hostDll, string idleTimeout) =>
        target == Target.Baseline ? Baseline() : Host(hostDll, idleTimeout);

    /// <summary>Where the host keeps its SQLite journal inside the data folder.</summary>
    public static string JournalPath(string dataDirectory) => Path.Combine(dataDirectory, "journal.db");

    public IEnumerable<string> Arguments(int port, string dataDirectory) => _arguments(port, dataDirectory);

    /// <summary>The same command with more arguments after it (flags such as <c>--takeover</c>).</summary>
    public ServerCommand WithArguments(params string[] arguments) => new(Target, (port, dataDirectory) =>
        _arguments(port, dataDirectory).Concat(arguments));

    /// <summary>The same command with more HOCON settings (<c>key = value</c>) on top.</summary>
    public ServerCommand WithHocon(params string[] hocon) => new(Target, (port, dataDirectory) =>
        _arguments(port, dataDirectory).Concat(hocon.SelectMany(setting => new[] { "--hocon", setting })));
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AkkaHibernation.Tests.Support;

/// <summary>
/// A real server program run as a child process: the shipped host (the binary `dotnet run --project src/Host` builds) or
/// the chat sample's (samples/Chat), both on the server library's command line.
/// </summary>
public sealed class HostProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _stdout = new();
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HostProcess(Process process, int port, int adminPort)
    {
        _process = process;
        Port = port;
        AdminPort = adminPort;
        process.OutputDataReceived += (_, line) => OnLine(line.Data, isStdout: true);
        process.ErrorDataReceived += (_, line) => OnLine(line.Data, isStdout: false);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The shipped host's program.</summary>
    public const string Host = "AkkaHibernation.Host";

    /// <summary>The chat sample's program.</summary>
    public const string ChatSample = "AkkaHibernation.Samples.Chat";

    public int Port { get; }

    /// <summary>The process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The port put where the arguments say <c>{admin-port}</c>.</summary>
    public int AdminPort { get; }

    public string Output
    {
        get
        {
            lock (_output)
                return _output.ToString();
        }
    }

    /// <summary>Standard output alone (what a script would parse).</summary>
    public string Stdout
    {
        get
        {
            lock (_output)
                return _stdout.ToString();
        }
    }

    /// <summary>Runs the host with <paramref name="arguments"/> to completion: (exit code, stdout, stdout+stderr).</summary>
    public static Task<(int ExitCode, string Stdout, string Output)> RunAsync(params string[] arguments) => RunProgramAsync(Host, arguments);

    /// <summary>Runs <paramref name="program"/> with <paramref name="arguments"/> to completion: (exit code, stdout, stdout+stderr).</summary>
    public static async Task<(int ExitCode, string Stdout, string Output)> RunProgramAsync(string program, params string[] arguments)
    {
        using var process = Start(program, FreePort(), arguments);
        var exitCode = await process.ExitCodeAsync(TimeSpan.FromSeconds(60));
        return (exitCode, process.Stdout, process.Output);
    }

    /// <summary>Runs a <c>journal</c> subcommand against <paramref name="database"/>: (exit code, stdout, stdout+stderr).</summary>
    public static Task<(int ExitCode, string Stdout, string Output)> JournalAsync(TestDatabase database, params string[] arguments) =>
        JournalAsync(Host, database, arguments);

    /// <summary>Runs <paramref name="program"/>'s <c>journal</c> subcommand against <paramref name="database"/>.</summary>
    public static Task<(int ExitCode, string Stdout, string Output)> JournalAsync(string program, TestDatabase database, params string[] arguments) =>
        RunProgramAsync(program, ["journal", .. arguments, "--database", database.Path]);

    public static HostProcess Start(params string[] arguments) => Start(FreePort(), arguments);

    public static HostProcess Start(int port, params string[] arguments) => Start(Host, port, arguments);

    private static HostProcess Start(string program, int port, string[] arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        // Two probes in a row can be given the same port (the first one's was released): the admin listener would then
        // collide with the host's own listener (seen in CI as HttpListener's "conflicts with an existing registration").
        var adminPort = FreePort();
        while (adminPort == port)
            adminPort = FreePort();
        var info = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, program))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            info.Environment[name] = value;
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument.Replace("{port}", port.ToString()).Replace("{admin-port}", adminPort.ToString()));
        return new HostProcess(Process.Start(info) ?? throw new InvalidOperationException("Host did not start"), port, adminPort);
    }

    /// <summary>
    /// Starts a server (arguments with <c>{port}</c>, and <c>{admin-port}</c> if it has an admin listener) and waits
    /// until it listens. A port is free when probed but a test running in parallel can take it before the host binds
    /// it: then the host exits, and fresh ports are tried (a bounded number of times).
    /// </summary>
    public static Task<HostProcess> StartListeningAsync(params string[] arguments) => StartProgramListeningAsync(Host, arguments);

    /// <summary>As <see cref="StartListeningAsync"/>, with <paramref name="environment"/> set for the host.</summary>
    public static Task<HostProcess> StartListeningAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        StartProgramListeningAsync(Host, arguments, environment);

    /// <summary>
    /// As <see cref="StartListeningAsync"/>, for <paramref name="program"/>: a program built beside the tests
    /// (<see cref="ChatSample"/>) or the absolute path of any other on the library's command line.
    /// </summary>
    public static Task<HostProcess> StartProgramListeningAsync(string program, params string[] arguments) =>
        StartProgramListeningAsync(program, arguments, environment: null);

    private static async Task<HostProcess> StartProgramListeningAsync(string program, string[] arguments, IReadOnlyDictionary<string, string>? environment)
    {
        for (var attempt = 1; ; attempt++)
        {
            var host = Start(program, FreePort(), arguments, environment);
            await Task.WhenAny(host._listening.Task, host._process.WaitForExitAsync()).WaitAsync(TimeSpan.FromSeconds(60));
            if (host._listening.Task.IsCompleted)
                return host;
            var portTaken = host.Output.Contains("Address already in use", StringComparison.Ordinal);
            host.Dispose();
            if (!portTaken || attempt == 5)
                throw new InvalidOperationException($"The host did not start listening:{Environment.NewLine}{host.Output}");
        }
    }

    /// <summary>SIGKILL: the process dies where it stands, as in a crash or an OOM kill.</summary>
    public void Crash()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    /// <summary>SIGSTOP: the process stands still (the kernel still queues its connections) until <see cref="Continue"/>.</summary>
    public void Pause() => Process.Start("kill", ["-STOP", _process.Id.ToString()])!.WaitForExit();

    /// <summary>SIGCONT after <see cref="Pause"/>.</summary>
    public void Continue() => Process.Start("kill", ["-CONT", _process.Id.ToString()])!.WaitForExit();

    /// <summary>Sends SIGTERM, as a service manager would.</summary>
    public void Terminate() => Process.Start("kill", ["-TERM", _process.Id.ToString()])!.WaitForExit();

    /// <summary>Waits for the process to exit and returns its exit code.</summary>
    public async Task<int> ExitCodeAsync(TimeSpan timeout)
    {
        await _process.WaitForExitAsync().WaitAsync(timeout);
        _process.WaitForExit(); // also drains the redirected output
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    private void OnLine(string? line, bool isStdout)
    {
        if (line is null)
            return;
        lock (_output)
        {
            _output.AppendLine(line);
            if (isStdout)
                _stdout.AppendLine(line);
        }
        if (line.Contains("Listening on", StringComparison.Ordinal))
            _listening.TrySetResult();
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}

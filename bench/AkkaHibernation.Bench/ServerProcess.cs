using System.Diagnostics;

namespace AkkaHibernation.Bench;

/// <summary>
/// A server under test (the built host, or the baseline) on a free loopback port with a fresh data folder for its
/// SQLite journal; stopping sends SIGTERM, waits up to 30 s for the graceful stop, then kills it; disposing stops
/// it and removes the data folder.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private int _stopped;
    private int _disposed;
    private bool _ownsData;

    private ServerProcess(Process process, int port, string dataDirectory, ServerLog log)
    {
        _process = process;
        DataDirectory = dataDirectory;
        Port = port;
        Log = log;
        Pid = process.Id;
    }

    public int Pid { get; }

    public int Port { get; }

    /// <summary>The temp folder holding the server's journal; it lives until the server is disposed.</summary>
    public string DataDirectory { get; }

    /// <summary>Everything the server wrote to stdout and stderr.</summary>
    public ServerLog Log { get; }

    /// <summary>ws://127.0.0.1:PORT/</summary>
    public Uri WebSocketBase => new($"ws://127.0.0.1:{Port}/");

    /// <summary>The seed's route, room "foo".</summary>
    public Uri DefaultRoom => new(WebSocketBase, "websocket");

    public Uri Room(string name) => new(WebSocketBase, $"rooms/{name}");

    /// <summary>Starts the server and waits (up to 60 s) for "Listening on".</summary>
    public static Task<ServerProcess> StartAsync(ServerCommand command) =>
        StartAsync(command, FreePort.Find(), Directory.CreateTempSubdirectory("akkahibernation-bench-").FullName, ownsData: true);

    /// <summary>
    /// Starts <paramref name="command"/> with <c>--takeover</c> on <paramref name="old"/>'s port and journal, and waits
    /// for it to serve. Its data folder is the old server's: dispose this one first.
    /// </summary>
    public static Task<ServerProcess> StartTakingOverAsync(ServerProcess old, ServerCommand command) =>
        StartAsync(command.WithArguments("--takeover"), old.Port, old.DataDirectory, ownsData: false);

    /// <summary>Waits for the process to exit on its own; its exit code.</summary>
    public async Task<int> ExitCodeAsync(TimeSpan timeout)
    {
        await _process.WaitForExitAsync().WaitAsync(timeout);
        return _process.ExitCode;
    }

    private static async Task<ServerProcess> StartAsync(ServerCommand command, int port, string dataDirectory, bool ownsData)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = dataDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Hosts that have an admin listener default it to a fixed port (9090); one bench server must not clash with
        // another process there. Hosts without it ignore the variable.
        info.Environment["AKKAHIBERNATION_ADMIN"] = "off";
        foreach (var arg in command.Arguments(port, dataDirectory))
            info.ArgumentList.Add(arg);

        var log = new ServerLog(Environment.GetEnvironmentVariable(ServerLog.CopyVariable));
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
                return;
            log.Add(e.Data);
            if (e.Data.Contains("Listening on", StringComparison.Ordinal))
                listening.TrySetResult();
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
                log.Add("[stderr] " + e.Data);
        };
        process.Exited += (_, _) =>
            listening.TrySetException(new InvalidOperationException($"The server exited with code {process.ExitCode} before listening"));

        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(process, port, dataDirectory, log) { _ownsData = ownsData };
        try
        {
            await listening.Task.WaitAsync(StartTimeout);
        }
        catch (Exception error)
        {
            await server.DisposeAsync();
            var why = error is TimeoutException ? $"did not log 'Listening on' within {StartTimeout.TotalSeconds} s" : error.Message;
            throw new InvalidOperationException(
                $"Server start failed: {why}. Last output:{Environment.NewLine}{string.Join(Environment.NewLine, log.Tail(30))}");
        }
        return server;
    }

    /// <summary>The server's resident set size (VmRSS in /proc/PID/status), in KiB.</summary>
    public long RssKiB()
    {
        foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
        {
            if (!line.StartsWith("VmRSS:", StringComparison.Ordinal))
                continue;
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return long.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        throw new InvalidOperationException($"/proc/{Pid}/status has no VmRSS line");
    }

    /// <summary>CPU time the server has used so far, over all its threads (user and system).</summary>
    public TimeSpan CpuTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    /// <summary>
    /// Time the server's live threads have run on a CPU so far, to the nanosecond (the first field of each
    /// /proc/PID/task/TID/schedstat), for spans too short for <see cref="CpuTime"/>'s clock ticks of 10 ms. Threads that
    /// ended are not counted, so read it across spans in which the server starts and ends none (a wake, not a start).
    /// </summary>
    public TimeSpan PreciseCpuTime()
    {
        var nanoseconds = 0L;
        foreach (var task in Directory.EnumerateDirectories($"/proc/{Pid}/task"))
        {
            try
            {
                var text = File.ReadAllText(Path.Combine(task, "schedstat"));
                nanoseconds += long.Parse(text.AsSpan(0, text.IndexOf(' ')), System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException or IOException)
            {
                // the thread ended between the listing and the read
            }
        }
        return TimeSpan.FromTicks(nanoseconds / 100);
    }

    /// <summary>SIGTERM, then up to 30 s for the graceful stop, then SIGKILL. The data folder stays until disposal.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1 || _process.HasExited)
            return;
        await SendSigtermAsync();
        using var timeout = new CancellationTokenSource(StopTimeout);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine($"Server {Pid} did not stop within {StopTimeout.TotalSeconds} s of SIGTERM; killing it");
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    /// <summary>Stops the server if it still runs, then removes its data folder.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        try
        {
            await StopAsync();
        }
        finally
        {
            _process.Dispose();
            try
            {
                if (_ownsData)
                    Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // a leftover temp folder is harmless
            }
        }
    }

    private async Task SendSigtermAsync()
    {
        var info = new ProcessStartInfo("kill") { UseShellExecute = false };
        info.ArgumentList.Add("-TERM");
        info.ArgumentList.Add(Pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var kill = Process.Start(info) ?? throw new InvalidOperationException("Could not start kill");
        await kill.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
    }
}

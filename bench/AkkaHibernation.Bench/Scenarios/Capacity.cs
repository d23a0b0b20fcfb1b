using System.Diagnostics;
using System.Globalization;

namespace AkkaHibernation.Bench.Scenarios;

/// <summary>
/// One room holding more connections than one process may open on a machine with a low open-file limit: the clients
/// are spread over <see cref="CapacityWorker"/> processes and, with <c>--nodes</c>, the sockets over the hosts of a
/// cluster (client i on node i mod K). Every client connects to one room; one message reaches all of them; the room
/// hibernates (sockets open); a second message wakes it from its snapshot and again reaches all of them.
/// </summary>
public static class Capacity
{
    public const string Room = "capacity";
    private const string IdleTimeout = "5s";
    private static readonly TimeSpan OpenTimeout = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan BroadcastTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan HibernationTimeout = TimeSpan.FromMinutes(2);

    public sealed record Options(int Connections = 32_768, int PerWorker = 16_384);

    public static async Task<RunResult> RunOnceAsync(string hostDll, Options options, ServerGroup.Cluster? cluster)
    {
        var workerCount = (options.Connections + options.PerWorker - 1) / options.PerWorker;
        await using var servers = await ServerGroup.StartAsync(ServerCommand.Host(hostDll, IdleTimeout), cluster);
        Console.WriteLine($"== capacity: {options.Connections} connections to room {Room} on {servers.Describe(Target.Server)}, " +
                          $"from {workerCount} client processes");
        var rooms = string.Join(",", servers.Servers.Select(server => server.Room(Room)));
        var workers = Enumerable.Range(1, workerCount)
            .Select(w => Worker.Start(w, options.PerWorker, Math.Min(options.PerWorker, options.Connections - (w - 1) * options.PerWorker), rooms))
            .ToList();
        try
        {
            var opening = Stopwatch.StartNew();
            foreach (var worker in workers)
                await worker.ExpectAsync("opened ", OpenTimeout);
            var openSeconds = Result.Round(opening.Elapsed.TotalSeconds, 1);
            Console.WriteLine($"opened {options.Connections} connections in {openSeconds} s");

            var marks = servers.Servers.Select(server => (server.Log, server.Log.Mark())).ToList();
            var (firstMs, firstTotals) = await BroadcastAsync(workers, "first");
            var residentKiB = servers.Servers.Select(server => server.RssKiB()).ToList();
            Console.WriteLine($"message to the resident room reached every client in {firstMs} ms; the room counted {string.Join("/", firstTotals.Distinct())} connections");

            // Marked before the first message: the room's idle timer starts with it, so it may sleep before this wait.
            var hibernated = await ServerLog.WaitForHibernationAsync(marks, Room, HibernationTimeout);
            var hibernatedKiB = servers.Servers.Select(server => server.RssKiB()).ToList();
            Console.WriteLine($"room hibernated: {hibernated}; server RSS resident {string.Join(" + ", residentKiB)} KiB, hibernated {string.Join(" + ", hibernatedKiB)} KiB");

            var wakeMarks = servers.Servers.Select(server => server.Log.Mark()).ToList();
            var (wakeMs, wakeTotals) = await BroadcastAsync(workers, "second");
            var recovery = servers.Servers.SelectMany((server, i) => server.Log.RecoveriesSince(wakeMarks[i])).LastOrDefault(r => r.Room == Room);
            Console.WriteLine($"message to the hibernated room reached every client in {wakeMs} ms; server recovery " +
                              $"{recovery?.RecoveryMs.ToString(CultureInfo.InvariantCulture) ?? "not logged"} ms, {recovery?.SessionsRestored ?? 0} sessions restored");

            var expected = options.Connections.ToString(CultureInfo.InvariantCulture);
            var ok = hibernated && recovery?.SessionsRestored == options.Connections &&
                     firstTotals.Concat(wakeTotals).All(total => total == expected);
            var figures = new Dictionary<string, double> { ["openSeconds"] = openSeconds, ["residentBroadcastMs"] = firstMs, ["wakeBroadcastMs"] = wakeMs };
            return new RunResult(ok, figures, new
            {
                scenario = "capacity",
                connections = options.Connections,
                nodes = servers.Servers.Count,
                clientProcesses = workerCount,
                ok,
                openSeconds,
                residentBroadcastMs = firstMs,
                wakeBroadcastMs = wakeMs,
                serverRecoveryMs = recovery?.RecoveryMs,
                sessionsRestored = recovery?.SessionsRestored,
                hibernated,
                residentRssKiB = residentKiB,
                hibernatedRssKiB = hibernatedKiB,
            });
        }
        finally
        {
            foreach (var worker in workers)
                await worker.DisposeAsync();
        }
    }

    /// <summary>The first worker's first client sends <paramref name="tag"/>; waits until every worker's clients all got it.</summary>
    private static async Task<(double Ms, IReadOnlyList<string> Totals)> BroadcastAsync(IReadOnlyList<Worker> workers, string tag)
    {
        var sent = Stopwatch.GetTimestamp();
        await workers[0].SendAsync($"send {tag}");
        var lines = await Task.WhenAll(workers.Select(worker => worker.ExpectAsync($"all {tag} ", BroadcastTimeout)));
        return (Result.Ms(sent, Stopwatch.GetTimestamp()), lines.Select(line => line[$"all {tag} ".Length..]).ToList());
    }

    /// <summary>A <see cref="CapacityWorker"/> process, spoken to by lines on its stdin and stdout.</summary>
    private sealed class Worker : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly System.Threading.Channels.Channel<string> _lines = System.Threading.Channels.Channel.CreateUnbounded<string>();

        private Worker(Process process) => _process = process;

        /// <summary>Starts client process <paramref name="number"/> (from 1), which opens clients from (number - 1) × perProcess.</summary>
        public static Worker Start(int number, int perProcess, int count, string rooms)
        {
            var info = new ProcessStartInfo("dotnet")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            foreach (var arg in new[] { typeof(Capacity).Assembly.Location, CapacityWorker.Mode, "--process", $"{number}", "--per-process", $"{perProcess}", "--count", $"{count}", "--rooms", rooms })
                info.ArgumentList.Add(arg);
            var worker = new Worker(new Process { StartInfo = info });
            worker._process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is { } line)
                    worker._lines.Writer.TryWrite(line);
                else
                    worker._lines.Writer.TryComplete();
            };
            worker._process.Start();
            worker._process.BeginOutputReadLine();
            return worker;
        }

        public async Task SendAsync(string line)
        {
            await _process.StandardInput.WriteLineAsync(line);
            await _process.StandardInput.FlushAsync();
        }

        /// <summary>Waits for the worker's next line starting with <paramref name="prefix"/>; its failure or exit throws.</summary>
        public async Task<string> ExpectAsync(string prefix, TimeSpan timeout)
        {
            using var cancel = new CancellationTokenSource(timeout);
            try
            {
                while (true)
                {
                    var line = await _lines.Reader.ReadAsync(cancel.Token);
                    if (line.StartsWith(prefix, StringComparison.Ordinal))
                        return line;
                    if (line.StartsWith("failed ", StringComparison.Ordinal))
                        throw new InvalidOperationException($"Client process {_process.Id}: {line}");
                }
            }
            catch (System.Threading.Channels.ChannelClosedException)
            {
                throw new InvalidOperationException($"Client process {_process.Id} exited before '{prefix.Trim()}'");
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Client process {_process.Id} did not report '{prefix.Trim()}' within {timeout.TotalSeconds} s");
            }
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                await SendAsync("quit");
            }
            catch (IOException)
            {
                // Already gone.
            }
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _process.WaitForExitAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
            _process.Dispose();
        }
    }
}

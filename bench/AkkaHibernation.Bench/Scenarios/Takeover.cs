using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace AkkaHibernation.Bench.Scenarios;

/// <summary>
/// A deploy with <c>--takeover</c>: N clients in R resident rooms on a running server, then a second host process
/// takes them over. Reports the hand-over as the new process logs it (from asking to serving, and how long the port
/// was bound by neither process), the old process's exit after the new one's start, and what a client trying to
/// connect every few milliseconds saw: refused TCP connects and the longest run of them. Afterwards one message per
/// room must reach every client: no socket was lost.
/// </summary>
public static partial class Takeover
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    /// <param name="SettleSeconds">How long the running server serves its rooms before the takeover: 0 takes over a server in its first seconds, while its start's background work (the wake warm-up) still runs.</param>
    public sealed record Options(int Sockets = 1000, int Rooms = 10, int SettleSeconds = 0);

    /// <summary>Rooms stay resident until the takeover hibernates them.</summary>
    public const string IdleTimeout = "120s";

    public static async Task<RunResult> RunOnceAsync(string hostDll, Options options)
    {
        Console.WriteLine($"== takeover: {options.Sockets} sockets in {options.Rooms} rooms handed to a new process");
        FdLimit.Require(options.Sockets); // the bench holds the clients; each server process its own copies
        var command = ServerCommand.Host(hostDll, IdleTimeout);
        await using var old = await ServerProcess.StartAsync(command);
        await using var pool = new ClientPool();
        var received = new int[options.Sockets];
        await pool.OpenAsync(options.Sockets, i => old.Room($"t{i % options.Rooms}"), (client, _, _) => Interlocked.Increment(ref received[client.Index]));
        await EveryRoomSpeaksAsync(pool, options, received, "before");
        await Task.Delay(TimeSpan.FromSeconds(options.SettleSeconds));

        using var probing = new CancellationTokenSource();
        var probe = ProbeConnectsAsync(old.Port, probing.Token);
        var started = Stopwatch.StartNew();
        await using var newer = await ServerProcess.StartTakingOverAsync(old, command);
        var exitCode = await old.ExitCodeAsync(Patience);
        var exitedAfter = started.Elapsed.TotalMilliseconds;
        await Task.Delay(200);
        await probing.CancelAsync();
        var (attempts, refused, longestRefusedMs) = await probe;

        await EveryRoomSpeaksAsync(pool, options, received, "after");
        var line = newer.Log.Tail(200).FirstOrDefault(text => text.Contains("Took over", StringComparison.Ordinal)) ?? "";
        var match = TookOver().Match(line);
        var ok = exitCode == 0 && match.Success && int.Parse(match.Groups[1].Value) == options.Sockets;
        var handoverMs = ok ? double.Parse(match.Groups[2].Value) : -1;
        var refusedWindowMs = ok ? double.Parse(match.Groups[3].Value) : -1;
        var phases = old.Log.Tail(400).FirstOrDefault(text => text.Contains("Hand-over so far", StringComparison.Ordinal)) ?? "(no phases logged)";
        Console.WriteLine($"old process: {phases[(phases.IndexOf("Hand-over", StringComparison.Ordinal) is var at and >= 0 ? at : 0)..]}");
        Console.WriteLine($"takeover {options.Sockets}: handed over in {handoverMs} ms, port bound by neither for {refusedWindowMs} ms; " +
                          $"old exited {exitedAfter:F0} ms after the new one started (exit {exitCode}); " +
                          $"probe: {refused} of {attempts} connects refused, longest run {longestRefusedMs:F1} ms" + (ok ? "" : $"; FAILED: {line}"));
        return new RunResult(ok,
            new Dictionary<string, double>
            {
                ["handoverMs"] = handoverMs, ["refusedWindowMs"] = refusedWindowMs, ["probeLongestRefusedMs"] = Result.Round(longestRefusedMs, 1),
                ["oldExitedAfterMs"] = Result.Round(exitedAfter, 0),
            },
            new
            {
                scenario = "takeover", sockets = options.Sockets, rooms = options.Rooms, settleSeconds = options.SettleSeconds, ok, handoverMs, refusedWindowMs, exitCode,
                oldExitedAfterMs = Result.Round(exitedAfter, 0), probeAttempts = attempts, probeRefused = refused,
                probeLongestRefusedMs = Result.Round(longestRefusedMs, 1),
            });
    }

    /// <summary>Client i of each room sends one message (i = the room's number); every client must get its copies.</summary>
    private static async Task EveryRoomSpeaksAsync(ClientPool pool, Options options, int[] received, string text)
    {
        var before = received.Select(count => Volatile.Read(ref count)).ToArray();
        for (var room = 0; room < options.Rooms; room++)
            await pool.Clients[room].SendAsync($"{text} {room}", CancellationToken.None);
        var deadline = Stopwatch.StartNew();
        // The sender gets two lines (to itself, to all); everyone else two (to all, to the others).
        while (Enumerable.Range(0, received.Length).Any(i => Volatile.Read(ref received[i]) < before[i] + 2))
        {
            if (deadline.Elapsed > Patience)
                throw new TimeoutException($"Not every client heard its room's '{text}' message");
            await Task.Delay(20);
        }
    }

    /// <summary>TCP connects to the port every 2 ms until cancelled: how many were refused, and the longest run of refusals.</summary>
    private static async Task<(int Attempts, int Refused, double LongestRefusedMs)> ProbeConnectsAsync(int port, CancellationToken stop)
    {
        var (attempts, refused, longest) = (0, 0, 0.0);
        Stopwatch? refusing = null;
        while (!stop.IsCancellationRequested)
        {
            attempts++;
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), CancellationToken.None);
                if (refusing is not null)
                    longest = Math.Max(longest, refusing.Elapsed.TotalMilliseconds);
                refusing = null;
            }
            catch (SocketException)
            {
                refused++;
                refusing ??= Stopwatch.StartNew();
            }
            await Task.Delay(2, CancellationToken.None);
        }
        return (attempts, refused, refusing is null ? longest : Math.Max(longest, refusing.Elapsed.TotalMilliseconds));
    }

    [GeneratedRegex(@"Took over (\d+) sockets in (\d+) ms; the listen prefixes were bound by neither process for (\d+) ms")]
    private static partial Regex TookOver();
}

using System.Diagnostics;

namespace AkkaHibernation.Bench.Scenarios;

/// <summary>
/// A reconnect storm: N clients open WebSockets into one room at once (the pool keeps 100 handshakes in flight), as
/// they would after a network blip. Connections per second from the first handshake to the last 101, then one
/// message whose echo must count all N sessions. With a warm-up, W clients first come and go in another room, so the
/// storm meets a server whose code paths are compiled, as a storm after a network blip would (without one, it meets
/// a server that has just started, as after a restart).
/// </summary>
public static class ConnectStorm
{
    private const string Room = "storm";
    private const string WarmupRoom = "storm-warmup";
    private static readonly TimeSpan EchoTimeout = TimeSpan.FromSeconds(30);

    public sealed record Options(int Clients = 5000, int Warmup = 0);

    /// <summary>Longer than any run: the room stays resident, so every connect goes to a resident room.</summary>
    public const string IdleTimeout = "60s";

    public static async Task<RunResult> RunOnceAsync(ServerCommand command, Options options)
    {
        var clients = options.Clients;
        Console.WriteLine($"== connect against {command.Target.Name()}: {clients} clients into room {Room} at once" +
                          (options.Warmup > 0 ? $", after {options.Warmup} came and went in room {WarmupRoom}" : ""));
        FdLimit.Require(clients);

        var echo = new TaskCompletionSource<Frame>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnFrame(BenchClient client, string text, long at)
        {
            if (client.Index == 0 && Frame.Parse(text) is { Kind: FrameKind.Own } own)
                echo.TrySetResult(own);
        }

        await using var server = await ServerProcess.StartAsync(command);
        await using var pool = new ClientPool();
        try
        {
            if (options.Warmup > 0)
                await WarmUpAsync(server, options.Warmup);
            // The machine's two cores are shared by the server and the clients: what each spends per connection
            // says how far either could go with the machine to itself.
            var (serverCpuBefore, clientCpuBefore) = (server.CpuTime(), Process.GetCurrentProcess().TotalProcessorTime);
            var opening = Stopwatch.StartNew();
            await pool.OpenAsync(clients, _ => server.Room(Room), OnFrame);
            var seconds = opening.Elapsed.TotalSeconds;
            var serverCpuMs = Result.Round((server.CpuTime() - serverCpuBefore).TotalMilliseconds / clients, 3);
            var clientCpuMs = Result.Round((Process.GetCurrentProcess().TotalProcessorTime - clientCpuBefore).TotalMilliseconds / clients, 3);

            await pool.Clients[0].SendAsync("count", CancellationToken.None);
            var counted = (await echo.Task.WaitAsync(EchoTimeout)).TotalConnections;
            var ok = counted == clients;
            var perSecond = Result.Round(clients / seconds, 0);
            Console.WriteLine($"connect {clients}: opened in {seconds:F2} s = {perSecond} connections/s; the room counts {counted}; " +
                              $"CPU per connection: server {serverCpuMs:F3} ms, clients {clientCpuMs:F3} ms" + (ok ? "" : "; FAILED"));
            var figures = new Dictionary<string, double>
            {
                ["connectionsPerSecond"] = perSecond,
                ["seconds"] = Result.Round(seconds, 3),
                ["serverCpuMsPerConnection"] = serverCpuMs,
                ["clientCpuMsPerConnection"] = clientCpuMs,
            };
            return new RunResult(ok, figures,
                new { scenario = "connect", target = command.Target.Name(), clients, warmup = options.Warmup, ok, seconds = Result.Round(seconds, 3), connectionsPerSecond = perSecond, serverCpuMsPerConnection = serverCpuMs, clientCpuMsPerConnection = clientCpuMs, counted, serverPid = server.Pid });
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    /// <summary>Opens and closes <paramref name="count"/> clients, then waits until the room counts only a last one.</summary>
    private static async Task WarmUpAsync(ServerProcess server, int count)
    {
        await using (var warmup = new ClientPool())
            await warmup.OpenAsync(count, _ => server.Room(WarmupRoom), (_, _, _) => { });

        var echo = new TaskCompletionSource<Frame>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var last = new ClientPool();
        var client = await last.ConnectOneAsync(server.Room(WarmupRoom), (_, text, _) =>
        {
            if (Frame.Parse(text) is { Kind: FrameKind.Own } own)
                echo.TrySetResult(own);
        });
        await using (client)
        {
            for (var counted = 0; counted != 1;)
            {
                echo = new TaskCompletionSource<Frame>(TaskCreationOptions.RunContinuationsAsynchronously);
                await client.SendAsync("count", CancellationToken.None);
                counted = (await echo.Task.WaitAsync(EchoTimeout)).TotalConnections;
            }
        }
    }
}

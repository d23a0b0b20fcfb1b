namespace AkkaHibernation.Bench.Scenarios;

/// <summary>
/// N open connections over R named rooms: server RSS with every room resident, then after the rooms hibernated
/// (sockets still open), as KiB per connection over the idle server; then checks sockets still answer ping. With
/// <see cref="Options.Deflate"/> every client negotiates permessage-deflate.
/// </summary>
public static class Idle
{
    private const int PingChecks = 10;
    private static readonly TimeSpan EchoTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PongTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan HibernationSlack = TimeSpan.FromSeconds(3);

    public sealed record Options(int Connections = 2000, int Rooms = 20, int IdleTimeoutMs = 1000, bool Deflate = false, int HoldSeconds = 0);

    /// <summary>The host's idle timeout for these options, as a HOCON duration.</summary>
    public static string IdleTimeout(Options options) => $"{options.IdleTimeoutMs}ms";

    public static async Task<RunResult> RunOnceAsync(ServerCommand command, Options options)
    {
        var (connections, rooms, idleMs) = (options.Connections, options.Rooms, options.IdleTimeoutMs);
        Console.WriteLine($"== idle against {command.Target.Name()}: {connections} connections over {rooms} rooms, idle timeout {idleMs} ms" +
                          (options.Deflate ? ", permessage-deflate" : ""));
        FdLimit.Require(connections);

        var expectedFrames = 2L * connections; // one message per room: every client in it gets two lines
        var frames = 0L;
        var echoed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var pongs = new TaskCompletionSource?[connections];

        void OnFrame(BenchClient client, string text, long at)
        {
            if (text == "pong")
            {
                Volatile.Read(ref pongs[client.Index])?.TrySetResult();
                return;
            }
            if (Interlocked.Increment(ref frames) == expectedFrames)
                echoed.TrySetResult();
        }

        static string RoomOf(int client, int rooms) => $"idle-{client % rooms}";

        await using var server = await ServerProcess.StartAsync(command);
        await using var pool = new ClientPool(options.Deflate);
        try
        {
            var idleKiB = server.RssKiB();
            await pool.OpenAsync(connections, i => server.Room(RoomOf(i, rooms)), OnFrame);

            // Client r is the first of room r: one message each, then wait until every client got both lines.
            // Each room hibernates once after handling that message, so count hibernations from here.
            var mark = server.Log.Mark();
            await Task.WhenAll(Enumerable.Range(0, rooms).Select(r => pool.Clients[r].SendAsync($"resident-{r}", CancellationToken.None)));
            var allEchoed = true;
            try
            {
                await echoed.Task.WaitAsync(EchoTimeout);
            }
            catch (TimeoutException)
            {
                allEchoed = false;
            }
            var residentKiB = server.RssKiB();

            await Task.Delay(TimeSpan.FromMilliseconds(idleMs) + HibernationSlack);
            var hibernatedKiB = server.RssKiB();
            var hibernatedRooms = server.Log.HibernatedSince(mark).Distinct().Count();
            if (options.HoldSeconds > 0)
            {
                // Time to look inside the hibernated server, e.g. dotnet-gcdump collect -p PID.
                Console.WriteLine($"holding: server pid {server.Pid}, every room hibernated, for {options.HoldSeconds} s");
                await Task.Delay(TimeSpan.FromSeconds(options.HoldSeconds));
            }

            var wakeMark = server.Log.Mark();
            var pinged = Enumerable.Range(0, PingChecks).Select(k => k * connections / PingChecks).Distinct().ToList();
            var answered = await Task.WhenAll(pinged.Select(async i =>
            {
                var pong = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                Volatile.Write(ref pongs[i], pong);
                try
                {
                    await pool.Clients[i].SendAsync("ping", CancellationToken.None);
                    await pong.Task.WaitAsync(PongTimeout);
                    return true;
                }
                catch (Exception error) when (error is TimeoutException or System.Net.WebSockets.WebSocketException)
                {
                    return false;
                }
            }));
            var pongCount = answered.Count(a => a);
            var roomsWokenByPing = server.Log.RecoveriesSince(wakeMark).Count;

            double PerConnection(long kib) => Result.Round((kib - idleKiB) / (double)connections);
            // Hibernation is reported, not required: the baseline never hibernates, and its second figure is the same
            // sockets after the same wait.
            var ok = allEchoed && pongCount == pinged.Count;
            Console.WriteLine(
                $"idle {connections} connections / {rooms} rooms: idle server {idleKiB} KiB; resident {residentKiB} KiB " +
                $"({PerConnection(residentKiB)} KiB/connection); hibernated {hibernatedKiB} KiB ({PerConnection(hibernatedKiB)} KiB/connection), " +
                $"server logged {hibernatedRooms}/{rooms} rooms hibernated; ping answered {pongCount}/{pinged.Count} " +
                $"(rooms woken by ping: {roomsWokenByPing})" + (ok ? "" : $"; FAILED (all echoed: {allEchoed})"));
            var figures = new Dictionary<string, double>
            {
                ["residentKiBPerConnection"] = PerConnection(residentKiB),
                ["hibernatedKiBPerConnection"] = PerConnection(hibernatedKiB),
            };
            return new RunResult(ok, figures, new
            {
                scenario = "idle",
                target = command.Target.Name(),
                connections,
                rooms,
                idleTimeoutMs = idleMs,
                deflate = options.Deflate,
                ok,
                idleServerRssKiB = idleKiB,
                residentRssKiB = residentKiB,
                hibernatedRssKiB = hibernatedKiB,
                residentKiBPerConnection = PerConnection(residentKiB),
                hibernatedKiBPerConnection = PerConnection(hibernatedKiB),
                allEchoed,
                framesReceived = Interlocked.Read(ref frames),
                framesExpected = expectedFrames,
                roomsHibernated = hibernatedRooms,
                pingsAnswered = pongCount,
                pingsSent = pinged.Count,
                roomsWokenByPing,
                serverPid = server.Pid,
            });
        }
        finally
        {
            await server.DisposeAsync();
        }
    }
}

using System.Diagnostics;

namespace AkkaHibernation.Bench.Scenarios;

/// <summary>
/// Churn in one room: clients connect, send one message, wait for their echo and close, over and over (bounded
/// in cycles and in time). Then the server is stopped and its SQLite file is read to check that the room's
/// journal rows stayed within the snapshot policy: at most <c>snapshot-every</c> events plus the one row a
/// snapshot keeps, and one snapshot.
/// </summary>
public static class JournalChurn
{
    private const string Room = "churn";

    // Longer than any pause in the churn: the room stays resident, so only the snapshot-every policy bounds its
    // journal until the final stop hibernates it.
    private const string IdleTimeout = "10s";
    private const int Workers = 4;
    private static readonly TimeSpan EchoTimeout = TimeSpan.FromSeconds(30);

    /// <param name="Cycles">Connect–message–close cycles in all.</param>
    /// <param name="Seconds">The churn stops after this long even if cycles remain.</param>
    /// <param name="SnapshotEvery">The snapshot policy the server runs with, and the bound the check uses.</param>
    public sealed record Options(int Cycles = 1000, int Seconds = 120, int SnapshotEvery = 100);

    public static async Task<RunResult> RunOnceAsync(string hostDll, Options options)
    {
        Console.WriteLine($"== journal: up to {options.Cycles} connect/message/close cycles in room {Room} " +
                          $"({Workers} at a time, at most {options.Seconds} s), snapshot-every {options.SnapshotEvery}");
        var command = ServerCommand.Host(hostDll, IdleTimeout, $"akka-hibernation.rooms.snapshot-every = {options.SnapshotEvery}");
        await using var server = await ServerProcess.StartAsync(command);
        await using var pool = new ClientPool();

        var deadline = Stopwatch.StartNew();
        var next = -1;
        var completed = 0;
        var errors = new List<string>();
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
        {
            int cycle;
            while ((cycle = Interlocked.Increment(ref next)) < options.Cycles && deadline.Elapsed.TotalSeconds < options.Seconds)
            {
                try
                {
                    await CycleAsync(pool, server.Room(Room), cycle);
                    Interlocked.Increment(ref completed);
                }
                catch (Exception error) when (error is TimeoutException or InvalidOperationException or System.Net.WebSockets.WebSocketException)
                {
                    lock (errors)
                        errors.Add($"cycle {cycle}: {error.Message}");
                }
            }
        })));
        var churnSeconds = deadline.Elapsed.TotalSeconds;

        // A graceful stop hibernates the room (snapshot, then delete what it covers): the state a restart finds.
        await server.StopAsync();
        var rows = RoomJournalRows.Read(ServerCommand.JournalPath(server.DataDirectory), "room-" + Room);
        var bound = options.SnapshotEvery + 1;
        var ok = errors.Count == 0 && rows.JournalRows <= bound && rows.SnapshotRows <= 1;
        Console.WriteLine(
            $"journal: {completed} cycles in {churnSeconds:F1} s; room-{Room} wrote {rows.HighestSequenceNr} events; after stop " +
            $"{rows.JournalRows} journal rows ({rows.LiveJournalRows} not marked deleted; bound {bound}) and {rows.SnapshotRows} snapshot(s)" +
            (ok ? "" : $"; FAILED ({errors.Count} cycle errors, bound {bound}, snapshots {rows.SnapshotRows})"));
        foreach (var error in errors.Take(5))
            Console.WriteLine("  " + error);
        var figures = new Dictionary<string, double>
        {
            ["eventsWritten"] = rows.HighestSequenceNr,
            ["journalRows"] = rows.JournalRows,
            ["snapshotRows"] = rows.SnapshotRows,
        };
        return new RunResult(ok, figures, new
        {
            scenario = "journal",
            ok,
            cyclesCompleted = completed,
            cyclesRequested = options.Cycles,
            churnSeconds = Result.Round(churnSeconds, 1),
            snapshotEvery = options.SnapshotEvery,
            journalRowBound = bound,
            eventsWritten = rows.HighestSequenceNr,
            journalRows = rows.JournalRows,
            liveJournalRows = rows.LiveJournalRows,
            snapshotRows = rows.SnapshotRows,
            otherPersistenceIds = rows.OtherPersistenceIds,
            cycleErrors = errors.Count,
            serverPid = server.Pid,
        });
    }

    private static async Task CycleAsync(ClientPool pool, Uri room, int cycle)
    {
        var message = $"churn-{cycle}";
        var echo = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var client = await pool.ConnectOneAsync(room, (_, text, _) =>
        {
            var frame = Frame.Parse(text);
            if (frame.Kind == FrameKind.Own && frame.Message == message)
                echo.TrySetResult();
        });
        await client.SendAsync(message, CancellationToken.None);
        await echo.Task.WaitAsync(EchoTimeout);
        await client.CloseAsync();
    }
}

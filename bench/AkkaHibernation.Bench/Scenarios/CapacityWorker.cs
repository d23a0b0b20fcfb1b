using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace AkkaHibernation.Bench.Scenarios;

/// <summary>
/// One client process of the <see cref="Capacity"/> scenario: one process may not open more sockets than the
/// open-file limit allows, so the scenario spreads its clients over several of these. Talks to the scenario by
/// lines: it prints <c>opened N</c> once its clients are connected (or <c>failed why</c>), then on
/// <c>send TAG</c> from stdin its first client sends TAG, and it prints <c>all TAG T</c> when every one of its clients
/// has received the room's "to: all clients" line for TAG (T: the connection count that line names). <c>quit</c>
/// (or the end of stdin) closes its clients.
/// </summary>
public static class CapacityWorker
{
    public const string Mode = "capacity-worker";

    private const string ToAll = ", to: all clients. Total connections: ";
    private const string MessagePrefix = "[Durable Object] message: ";

    public static async Task<int> RunAsync(int first, int count, IReadOnlyList<Uri> rooms)
    {
        FdLimit.Require(count);
        var received = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var output = TextWriter.Synchronized(Console.Out);

        void OnFrame(BenchClient client, string text, long at)
        {
            // "[Durable Object] message: TAG, from: ID, to: all clients. Total connections: N"
            var toAll = text.IndexOf(ToAll, StringComparison.Ordinal);
            var from = text.IndexOf(", from: ", StringComparison.Ordinal);
            if (toAll < 0 || from < MessagePrefix.Length || !text.StartsWith(MessagePrefix, StringComparison.Ordinal))
                return;
            var tag = text[MessagePrefix.Length..from];
            if (received.AddOrUpdate(tag, 1, (_, n) => n + 1) == count)
                output.WriteLine($"all {tag} {text[(toAll + ToAll.Length)..]}");
        }

        await using var pool = new ClientPool();
        var opening = Stopwatch.StartNew();
        try
        {
            await pool.OpenAsync(count, i => rooms[(first + i) % rooms.Count], OnFrame);
        }
        catch (Exception error)
        {
            output.WriteLine($"failed {error.Message}");
            return 1;
        }
        output.WriteLine($"opened {count} {opening.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)}");

        while (await Console.In.ReadLineAsync() is { } command && command != "quit")
        {
            if (command.StartsWith("send ", StringComparison.Ordinal))
                await pool.Clients[0].SendAsync(command["send ".Length..], CancellationToken.None);
        }
        return 0;
    }
}

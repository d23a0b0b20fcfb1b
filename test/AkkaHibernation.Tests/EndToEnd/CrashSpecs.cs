using AkkaHibernation.Tests.Support;
using Xunit;
using Xunit.Abstractions;
using static AkkaHibernation.Tests.Support.Seed;

namespace AkkaHibernation.Tests.EndToEnd;

/// <summary>
/// kill -9 of the host while clients chat, at several points (fixed seed), then a restart on the same file: the
/// journal opens, `journal verify` passes, every room recovers and no session of the dead process is counted.
/// </summary>
[ProcessLevel]
public sealed class CrashSpecs(ITestOutputHelper output) : IDisposable
{
    private const int KillPoints = 5;
    private static readonly string[] Rooms = ["crash-a", "crash-b", "crash-c"];
    private readonly TestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private Task<HostProcess> StartHost() =>
        HostProcess.StartListeningAsync("--listen", "http://127.0.0.1:{port}/", "--admin", "off", "--idle-timeout", "200ms", "--database", _database.Path);

    [Fact]
    public async Task After_a_kill_9_under_load_the_journal_verifies_and_rooms_count_only_live_sessions()
    {
        var random = new Random(424242);
        for (var point = 0; point < KillPoints; point++)
        {
            using (var host = await StartHost())
            {
                using var stop = new CancellationTokenSource();
                var firstAnswers = new List<TaskCompletionSource>();
                var chatters = Rooms.SelectMany(room => Enumerable.Range(0, 2).Select(_ =>
                {
                    var firstAnswer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    firstAnswers.Add(firstAnswer);
                    return ChatAsync(host.Port, room, firstAnswer, stop.Token);
                })).ToList();

                // Every room has journaled sessions before the kill point, however slow the machine is right now.
                await Task.WhenAll(firstAnswers.Select(answer => answer.Task)).WaitAsync(TimeSpan.FromSeconds(30));
                // Let them chat (connects, messages, hibernations at a 200 ms idle timeout), then kill mid-flight.
                await Task.Delay(random.Next(300, 1200));
                host.Crash();
                await stop.CancelAsync();
                var counts = await Task.WhenAll(chatters);
                output.WriteLine($"kill point {point}: {counts.Sum()} messages answered before the kill");
            }

            var (verifyExit, verifyOut, verifyAll) = await HostProcess.RunAsync("journal", "verify", "--database", _database.Path);
            Assert.True(verifyExit == 0, verifyAll);
            Assert.Equal($"ok: {Rooms.Length} rooms replay to a valid state", verifyOut.Trim());

            using var restarted = await StartHost();
            foreach (var room in Rooms)
            {
                await using var client = await TestClient.ConnectAsync(new Uri($"ws://127.0.0.1:{restarted.Port}/rooms/{room}"));
                await client.SendAsync("after the crash");
                var echo = await client.ReceiveAsync();
                Assert.Equal(Line("after the crash", SessionIdOf(echo), Sender, 1), echo);
            }
            restarted.Terminate();
            Assert.Equal(0, await restarted.ExitCodeAsync(TimeSpan.FromSeconds(30)));
        }
    }

    /// <summary>Sends and waits for its own echo until the server dies or the test stops it; returns the count.</summary>
    private static async Task<int> ChatAsync(int port, string room, TaskCompletionSource firstAnswer, CancellationToken stop)
    {
        var answered = 0;
        try
        {
            await using var client = await TestClient.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/rooms/{room}"));
            while (!stop.IsCancellationRequested)
            {
                await client.SendAsync($"m{answered}");
                while (!(await client.ReceiveAsync(TimeSpan.FromSeconds(5))).Contains(Sender, StringComparison.Ordinal))
                {
                }
                answered++;
                firstAnswer.TrySetResult();
            }
        }
        catch (Exception error) when (error is System.Net.WebSockets.WebSocketException or InvalidOperationException
                                          or TimeoutException or IOException or OperationCanceledException)
        {
            // the server was killed under it
        }
        return answered;
    }
}

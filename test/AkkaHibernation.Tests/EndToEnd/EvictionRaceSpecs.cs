using AkkaHibernation.Tests.Support;
using Xunit;
using Xunit.Abstractions;
using static AkkaHibernation.Tests.Support.Seed;

namespace AkkaHibernation.Tests.EndToEnd;

/// <summary>
/// Messages sent while rooms are being evicted are neither lost nor reordered: rooms with a 5 ms idle timeout
/// hibernate between bursts while their clients keep sending, over several rounds with a fixed seed.
/// </summary>
public sealed class EvictionRaceSpecs(ITestOutputHelper output) : NodeSpec(output, idleTimeout: "5ms")
{
    private const int Rooms = 3;
    private const int ClientsPerRoom = 2;
    private const int MessagesPerClient = 40;
    private const int Rounds = 10;


    [Fact]
    public async Task Every_message_sent_during_evictions_is_answered_once_and_in_order()
    {
        var random = new Random(20261127);
        for (var round = 0; round < Rounds; round++)
        {
            var hibernationsBefore = Node.Node.RoomCounters.Hibernations;
            await RunRoundAsync(round, random);
            Output.WriteLine($"round {round}: {Node.Node.RoomCounters.Hibernations - hibernationsBefore} hibernations, {Node.Node.RoomCounters.Wakes} wakes so far");
        }
        // The scenario must really race evictions: on average at least one per room and round (a busy machine can
        // leave one round with fewer, as its timers fire late).
        Assert.True(Node.Node.RoomCounters.Hibernations >= Rounds * Rooms, $"only {Node.Node.RoomCounters.Hibernations} evictions in {Rounds} rounds");
    }

    private async Task RunRoundAsync(int round, Random random)
    {
        var rooms = Enumerable.Range(0, Rooms).Select(r => $"race-{round}-{r}").ToList();
        var clients = new List<(string Room, TestClient Client)>();
        foreach (var room in rooms)
        {
            for (var c = 0; c < ClientsPerRoom; c++)
                clients.Add((room, await TestClient.ConnectAsync(Node.WebSocket($"/rooms/{room}"))));
        }

        try
        {
            // Pauses of 0-12 ms straddle the 5 ms idle timeout, so sends land before, during and after evictions.
            var plans = clients.Select(_ => Enumerable.Range(0, MessagesPerClient).Select(_ => random.Next(0, 13)).ToArray()).ToList();
            var sending = clients.Select((entry, index) => Task.Run(async () =>
            {
                for (var m = 0; m < MessagesPerClient; m++)
                {
                    await entry.Client.SendAsync($"c{index}-m{m}");
                    await Task.Delay(plans[index][m]);
                }
            })).ToList();
            await Task.WhenAll(sending);

            for (var index = 0; index < clients.Count; index++)
            {
                var (room, client) = clients[index];
                // Own messages give 2 frames each, the room-mate's give 2 each.
                var frames = await client.ReceiveAsync(MessagesPerClient * 2 * ClientsPerRoom, TimeSpan.FromSeconds(30));
                var own = frames.Where(f => f.EndsWith($"to: {Sender}. Total connections: {ClientsPerRoom}", StringComparison.Ordinal)).ToList();
                var mine = Enumerable.Range(0, MessagesPerClient).Select(m => $"c{index}-m{m}").ToList();
                Assert.Equal(mine, own.Select(MessageOf).ToList());

                var mateIndex = clients.FindIndex(c => c.Room == room && c.Client != client);
                var fromMate = frames.Where(f => f.Contains($"to: {Others}.", StringComparison.Ordinal)).Select(MessageOf).ToList();
                Assert.Equal(Enumerable.Range(0, MessagesPerClient).Select(m => $"c{mateIndex}-m{m}").ToList(), fromMate);
                Assert.True(client.HasNoPendingFrames, "no duplicate frames");
            }
        }
        finally
        {
            foreach (var (_, client) in clients)
                await client.DisposeAsync();
        }
    }

    private static string MessageOf(string line) =>
        line["[Durable Object] message: ".Length..line.IndexOf(", from: ", StringComparison.Ordinal)];
}

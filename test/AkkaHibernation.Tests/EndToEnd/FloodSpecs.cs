using AkkaHibernation.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace AkkaHibernation.Tests.EndToEnd;

/// <summary>A flood of upgrades past the node's limit: every one is answered (101 or 503 with a body), none hangs, nothing leaks.</summary>
public sealed class FloodSpecs(ITestOutputHelper output) : NodeSpec(output, "10s", "akka-hibernation.transport.max-connections = 50")
{
    private const int Flood = 200;

    [Fact]
    public async Task Upgrades_past_the_limit_get_503_and_every_slot_comes_back()
    {
        var clients = new List<RawClient>();
        try
        {
            var attempts = Enumerable.Range(0, Flood).Select(async i =>
            {
                var client = await RawClient.ConnectAsync(Node.Port);
                lock (clients)
                    clients.Add(client);
                return await client.RequestAsync(RawClient.Handshake(Node.Port, $"/rooms/flood{i % 10}"));
            });
            var answers = await Task.WhenAll(attempts).WaitAsync(TimeSpan.FromSeconds(60));

            Assert.Equal(50, answers.Count(a => a.StartsWith("HTTP/1.1 101", StringComparison.Ordinal)));
            Assert.Equal(Flood - 50, answers.Count(a => a.StartsWith("HTTP/1.1 503", StringComparison.Ordinal)
                                                    && a.EndsWith("Server is at its limit of 50 connections", StringComparison.Ordinal)));
        }
        finally
        {
            foreach (var client in clients)
                await client.DisposeAsync();
        }

        await Eventually.TrueAsync(() => Node.Node.TransportCounters.ConnectionsOpen == 0 && Node.Node.Registry.Count == 0,
            "every flooded connection released", TimeSpan.FromSeconds(30));
        await using var afterwards = await RawClient.ConnectAsync(Node.Port);
        Assert.StartsWith("HTTP/1.1 101", await afterwards.RequestAsync(RawClient.Handshake(Node.Port)));
    }
}

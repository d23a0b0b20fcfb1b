using System.Diagnostics;
using System.Net.WebSockets;
using AkkaHibernation.Tests.Support;
using Xunit;
using Xunit.Abstractions;
using static AkkaHibernation.Tests.Support.Seed;

namespace AkkaHibernation.Tests.Cluster;

/// <summary>
/// The smoke test of cluster mode with real processes: three hosts (the binary `dotnet run --project src/Host`
/// builds) on one PostgreSQL database, one chatting client on each, and the process that runs the room killed with
/// SIGKILL mid-chat. Bounded: every wait has a deadline, and the chat stops when the survivors are through.
/// </summary>
[Collection(PostgresServer.Collection)]
public sealed class ClusterSmokeSpecs(PostgresServer postgres, ITestOutputHelper output)
{
    private static readonly TimeSpan EchoTimeout = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private static readonly HttpClient Http = new();

    /// <summary>Sends <paramref name="text"/> and waits for its echo to the sender, skipping other clients' lines; null if none came in time.</summary>
    private static async Task<string?> ChatAsync(TestClient client, string text)
    {
        await client.SendAsync(text);
        var echo = $"[Durable Object] message: {text}, from: ";
        var until = DateTime.UtcNow + EchoTimeout;
        try
        {
            while (true)
            {
                var line = await client.ReceiveAsync(until - DateTime.UtcNow);
                if (line.StartsWith(echo, StringComparison.Ordinal) && line.Contains($"to: {Sender}."))
                    return line;
            }
        }
        catch (Exception error) when (error is TimeoutException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    private static async Task<long> ResidentRoomsAsync(int adminPort)
    {
        var metrics = await Http.GetStringAsync($"http://127.0.0.1:{adminPort}/metrics");
        var line = metrics.Split('\n').Single(l => l.StartsWith("akkahibernation_rooms_resident ", StringComparison.Ordinal));
        return long.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    [PostgresFact]
    public async Task Three_hosts_keep_chatting_when_the_process_running_the_room_is_killed()
    {
        var database = await postgres.CreateDatabaseAsync();
        var remoting = Enumerable.Range(0, 3).Select(_ => TestNode.FreePort()).ToArray();
        var admin = Enumerable.Range(0, 3).Select(_ => TestNode.FreePort()).ToArray();
        var seed = $"akka.tcp://akka-hibernation@127.0.0.1:{remoting[0]}";
        var hosts = new List<HostProcess>();
        var clients = new List<TestClient>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                hosts.Add(await HostProcess.StartListeningAsync(
                    "--listen", "http://127.0.0.1:{port}/", "--admin", $"http://127.0.0.1:{admin[i]}/", "--postgres", database,
                    "--idle-timeout", "60s",
                    "--hocon", "akka-hibernation.cluster.enabled = on",
                    "--hocon", $"akka-hibernation.cluster.port = {remoting[i]}",
                    "--hocon", $"akka-hibernation.cluster.seed-nodes = [\"{seed}\"]"));
            }
            foreach (var host in hosts)
                clients.Add(await TestClient.ConnectAsync(new Uri($"ws://127.0.0.1:{host.Port}/websocket")));
            for (var i = 0; i < 3; i++)
                Assert.NotNull(await ChatAsync(clients[i], $"hello from host {i + 1}"));

            var resident = await Task.WhenAll(admin.Select(ResidentRoomsAsync));
            var victim = Array.IndexOf(resident, 1L);
            Assert.True(victim >= 0, $"one host runs the room (resident rooms per host: {string.Join(", ", resident)})");
            var survivors = Enumerable.Range(0, 3).Where(i => i != victim).ToArray();

            var sinceKill = Stopwatch.StartNew();
            hosts[victim].Crash();
            output.WriteLine($"Killed host {victim + 1}, which ran the room");

            // Each survivor keeps chatting, resending when an echo does not come (delivery between nodes is at most
            // once), until the room answers it from another host and counts two connections.
            var recovered = await Task.WhenAll(survivors.Select(async i =>
            {
                var unanswered = 0;
                for (var round = 0; sinceKill.Elapsed < Deadline; round++)
                {
                    var echo = await ChatAsync(clients[i], $"host {i + 1} round {round}");
                    if (echo?.EndsWith("Total connections: 2", StringComparison.Ordinal) == true)
                        return (Host: i + 1, After: sinceKill.ElapsedMilliseconds, Unanswered: unanswered);
                    if (echo is null)
                        unanswered++;
                }
                throw new TimeoutException($"Host {i + 1}'s client got no echo from the recovered room within {Deadline.TotalSeconds} s");
            }));

            foreach (var (host, after, unanswered) in recovered)
                output.WriteLine($"Client on host {host}: room answered with 2 connections {after} ms after the kill ({unanswered} messages unanswered)");
            Assert.All(survivors, i => Assert.Equal(WebSocketState.Open, clients[i].State));
            await Eventually.TrueAsync(() => clients[victim].State != WebSocketState.Open, "the killed host's client lost its connection");
        }
        finally
        {
            foreach (var client in clients)
                await client.DisposeAsync();
            foreach (var host in hosts)
                host.Dispose();
        }
    }
}

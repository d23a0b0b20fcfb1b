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
[ProcessLevel]
[Collection(PostgresServer.Collection)]
public sealed class ClusterSmokeSpecs(PostgresServer postgres, ITestOutputHelper output)
{
    private static readonly TimeSpan EchoTimeout = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private static readonly HttpClient Http = new();

    /// <summary>A client that chats and remembers every echo of its own messages, however late it comes.</summary>
    private sealed class Chatter(TestClient client)
    {
        private readonly List<string> _sent = [];
        private readonly Dictionary<string, int> _echoes = new(StringComparer.Ordinal);

        public TestClient Client { get; } = client;

        public IEnumerable<string> Unanswered => _sent.Where(text => !_echoes.ContainsKey(text));

        public int Duplicates => _echoes.Values.Sum(count => count - 1);

        /// <summary>Sends <paramref name="text"/> and waits for its echo; null if it did not come in time.</summary>
        public async Task<string?> ChatAsync(string text)
        {
            _sent.Add(text);
            await Client.SendAsync(text);
            return await EchoOfAsync(text, DateTime.UtcNow + EchoTimeout);
        }

        /// <summary>Waits until every message sent has had its echo; false at the deadline.</summary>
        public async Task<bool> AllAnsweredAsync(TimeSpan timeout)
        {
            var until = DateTime.UtcNow + timeout;
            foreach (var text in Unanswered.ToList())
            {
                if (!_echoes.ContainsKey(text) && await EchoOfAsync(text, until) is null)
                    return false;
            }
            return true;
        }

        private async Task<string?> EchoOfAsync(string text, DateTime until)
        {
            try
            {
                while (true)
                {
                    var line = await Client.ReceiveAsync(until - DateTime.UtcNow);
                    if (!line.Contains($"to: {Sender}."))
                        continue;
                    var echoed = line["[Durable Object] message: ".Length..line.IndexOf(", from: ", StringComparison.Ordinal)];
                    _echoes[echoed] = _echoes.GetValueOrDefault(echoed) + 1;
                    if (echoed == text)
                        return line;
                }
            }
            catch (Exception error) when (error is TimeoutException or ArgumentOutOfRangeException)
            {
                return null;
            }
        }
    }

    private static async Task<long> ResidentRoomsAsync(int adminPort) =>
        (long)MetricsText.Sample(await Http.GetStringAsync($"http://127.0.0.1:{adminPort}/metrics"), "akkahibernation_rooms_resident");

    [PostgresFact]
    public async Task Three_hosts_keep_chatting_when_the_process_running_the_room_is_killed_and_no_message_is_lost()
    {
        var database = await postgres.CreateDatabaseAsync();
        // Only the seed needs a known port; the others take any (a port probed free can be taken by another spec's
        // client before a host that starts seconds later binds it: seen in a fresh-clone CI run).
        var seedPort = TestNode.FreePort();
        var seed = $"akka.tcp://akka-hibernation@127.0.0.1:{seedPort}";
        var hosts = new List<HostProcess>();
        var chatters = new List<Chatter>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                hosts.Add(await HostProcess.StartListeningAsync(
                    "--listen", "http://127.0.0.1:{port}/", "--admin", "http://127.0.0.1:{admin-port}/", "--postgres", database,
                    "--idle-timeout", "60s",
                    "--hocon", "akka-hibernation.cluster.enabled = on",
                    "--hocon", $"akka-hibernation.cluster.port = {(i == 0 ? seedPort : 0)}",
                    "--hocon", $"akka-hibernation.cluster.seed-nodes = [\"{seed}\"]"));
            }
            foreach (var host in hosts)
                chatters.Add(new Chatter(await TestClient.ConnectAsync(new Uri($"ws://127.0.0.1:{host.Port}/websocket"))));
            for (var i = 0; i < 3; i++)
                Assert.NotNull(await chatters[i].ChatAsync($"hello from host {i + 1}"));

            // A host's monitor counts the room resident just after the room recovers: ask until one host says so.
            long[] resident = [];
            for (var until = DateTime.UtcNow + TimeSpan.FromSeconds(10); DateTime.UtcNow < until; await Task.Delay(50))
            {
                resident = await Task.WhenAll(hosts.Select(host => ResidentRoomsAsync(host.AdminPort)));
                if (resident.Count(rooms => rooms == 1) == 1)
                    break;
            }
            var victim = Array.IndexOf(resident, 1L);
            Assert.True(victim >= 0, $"one host runs the room (resident rooms per host: {string.Join(", ", resident)})");
            var survivors = Enumerable.Range(0, 3).Where(i => i != victim).Select(i => (Host: i + 1, Chatter: chatters[i])).ToArray();

            var sinceKill = Stopwatch.StartNew();
            hosts[victim].Crash();
            output.WriteLine($"Killed host {victim + 1}, which ran the room");

            // Each survivor keeps chatting, without waiting longer than a user would for an echo, until the room
            // answers it from another host and counts two connections.
            var recovered = await Task.WhenAll(survivors.Select(async survivor =>
            {
                var late = 0;
                for (var round = 0; sinceKill.Elapsed < Deadline; round++)
                {
                    var echo = await survivor.Chatter.ChatAsync($"host {survivor.Host} round {round}");
                    if (echo?.EndsWith("Total connections: 2", StringComparison.Ordinal) == true)
                        return (survivor.Host, After: sinceKill.ElapsedMilliseconds, Late: late);
                    if (echo is null)
                        late++;
                }
                throw new TimeoutException($"Host {survivor.Host}'s client got no echo from the recovered room within {Deadline.TotalSeconds} s");
            }));

            foreach (var (host, after, late) in recovered)
                output.WriteLine($"Client on host {host}: room answered with 2 connections {after} ms after the kill ({late} echoes later than {EchoTimeout.TotalSeconds} s)");
            foreach (var (host, chatter) in survivors)
            {
                // Nothing a survivor sent is lost: the late messages were kept by its host and sent again.
                Assert.True(await chatter.AllAnsweredAsync(TimeSpan.FromSeconds(20)),
                    $"host {host}'s client never got an echo of: {string.Join(", ", chatter.Unanswered)}");
                output.WriteLine($"Client on host {host}: every message answered; {chatter.Duplicates} handled twice");
                Assert.Equal(WebSocketState.Open, chatter.Client.State);
            }
            await Eventually.TrueAsync(() => chatters[victim].Client.State != WebSocketState.Open, "the killed host's client lost its connection");
        }
        finally
        {
            foreach (var chatter in chatters)
                await chatter.Client.DisposeAsync();
            foreach (var host in hosts)
                host.Dispose();
        }
    }
}

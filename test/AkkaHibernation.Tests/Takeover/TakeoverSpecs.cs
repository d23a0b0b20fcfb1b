using System.Diagnostics;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using AkkaHibernation.Tests.Support;
using AkkaHibernation.Transport.Takeover;
using Xunit;
using Xunit.Abstractions;

namespace AkkaHibernation.Tests.Takeover;

/// <summary>
/// Runs alone: the load spec moves tens of MB/s between three processes, which would starve the timing of specs beside
/// it (a three-node cluster's gossip missed its deadline in a fresh-clone CI run while it ran).
/// </summary>
[CollectionDefinition(nameof(TakeoverSpecs), DisableParallelization = true)]
public sealed class TakeoverCollection;

/// <summary>
/// <c>--takeover</c> with real host processes and real sockets: a second process takes the first one's open WebSockets
/// over while clients chat, and none of them notices.
/// </summary>
[ProcessLevel]
[Collection(nameof(TakeoverSpecs))]
public sealed class TakeoverSpecs(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly TestDatabase _database = new();
    private readonly List<HostProcess> _hosts = [];

    public void Dispose()
    {
        foreach (var host in _hosts)
        {
            output.WriteLine($"--- host on port {host.Port} ---{Environment.NewLine}{host.Output}");
            host.Dispose();
        }
        _database.Dispose();
    }

    private string[] Arguments(params string[] extra) =>
        ["--listen", "http://127.0.0.1:{port}/", "--database", _database.Path, "--admin", "off", "--idle-timeout", "1s", .. extra];

    private async Task<HostProcess> StartFirstAsync()
    {
        var host = await HostProcess.StartListeningAsync(Arguments());
        _hosts.Add(host);
        return host;
    }

    private HostProcess StartTakeover(int port)
    {
        var host = HostProcess.Start(port, Arguments("--takeover"));
        _hosts.Add(host);
        return host;
    }

    [Fact]
    public async Task Under_load_no_socket_drops_and_every_message_arrives_once_and_in_order()
    {
        var old = await StartFirstAsync();
        var port = old.Port;
        const int rooms = 20, perRoom = 10, chatty = 10;
        var members = new List<ChatMember>[rooms];
        for (var r = 0; r < rooms; r++)
        {
            members[r] = [];
            for (var c = 0; c < perRoom; c++)
            {
                // Room 1's last member reads slowly, so its queue holds a backlog; room 10's (quiet) sends half a message.
                var raw = (r, c) is (1, perRoom - 1) or (chatty, perRoom - 1);
                members[r].Add(raw
                    ? await ChatMember.ConnectRawAsync(port, $"t{r}", $"t{r}/{c}", paused: r == 1)
                    : await ChatMember.ConnectAsync(port, $"t{r}", $"t{r}/{c}"));
            }
        }
        var slowReader = members[1][perRoom - 1];
        var fragmenter = members[chatty][perRoom - 1];
        try
        {
            // Everyone says hello; then the quiet rooms (10 to 19) fall asleep and room 10's raw member begins a message.
            await Task.WhenAll(members.Where((_, r) => r != 1).SelectMany(room => room).Select(member => member.SayAsync($"{member.Name} hello", Patience)));
            await Task.WhenAll(members[1].Take(perRoom - 1).Select(member => member.SayAsync($"{member.Name} hello", Patience)));
            await Eventually.TrueAsync(() => old.Output.Split('\n').Count(line => line.Contains(" hibernated", StringComparison.Ordinal)) >= rooms - chatty,
                "the quiet rooms hibernate", TimeSpan.FromSeconds(20));
            await fragmenter.StartFragmentsAsync("fragmented ");

            using var stop = new CancellationTokenSource();
            var chatters = members.Take(chatty).SelectMany(room => room)
                .Where(member => member != slowReader)
                // Room 1 says long lines, so the slow reader's backlog outgrows the kernel's buffers and queues with us.
                .Select(member => ChatAsync(member, member.Name.StartsWith("t1/", StringComparison.Ordinal) ? new string('.', 20_000) : "", stop.Token))
                .ToList();
            await Task.Delay(TimeSpan.FromSeconds(6)); // the slow reader's backlog builds up meanwhile
            slowReader.StartReading(delayMs: 2);

            var takeover = Stopwatch.StartNew();
            var newer = StartTakeover(port);
            var late = ConnectDuringTheHandoverAsync(port, old);
            Assert.Equal(0, await old.ExitCodeAsync(Patience));
            output.WriteLine($"The old process exited {takeover.ElapsedMilliseconds} ms after the new one started");
            var (lateClients, refusedAttempts) = await late;
            output.WriteLine($"{lateClients.Count} clients connected during the handover after {refusedAttempts} refused attempts");

            await Task.Delay(TimeSpan.FromSeconds(2));
            await stop.CancelAsync();
            await Task.WhenAll(chatters);
            await fragmenter.FinishFragmentsAsync("fragmented ", "message", Patience);
            // The quiet rooms wake in the new process.
            await Task.WhenAll(members.Skip(chatty).SelectMany(room => room).Select(member => member.SayAsync($"{member.Name} after", Patience)));

            foreach (var room in members)
                await ChatMember.CheckRoomAsync(room, Patience);
            // Every socket went over, the slow reader's backlog among them, and the late clients talk on in the new process.
            var handing = Regex.Match(old.Output, @"Handing over (\d+) sockets: (\d+) frames queued");
            Assert.True(int.Parse(handing.Groups[1].Value) >= rooms * perRoom, handing.Value);
            Assert.True(int.Parse(handing.Groups[2].Value) > 0, handing.Value);
            Assert.Contains($"Took over {handing.Groups[1].Value} sockets", newer.Output);
            Assert.DoesNotContain("did not reach a frame boundary", old.Output);
            await Task.WhenAll(lateClients.Select(client => client.SayAsync($"{client.Name} after", Patience)));
            foreach (var client in lateClients)
            {
                await ChatMember.CheckRoomAsync([client], Patience);
                await client.DisposeAsync();
            }
        }
        finally
        {
            foreach (var member in members.SelectMany(room => room ?? []))
                await member.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_new_process_that_disappears_with_the_sockets_before_the_commit_leaves_the_old_one_serving_them()
    {
        var old = await StartFirstAsync();
        var members = await RoomAsync(old.Port, "k", 3);

        // Play the new process: take every socket, then vanish as SIGKILL would (its copies of the descriptors close).
        using (var link = ConnectAsTheNewProcess())
        {
            var (received, _) = await TakeEverySocketAsync(link);
            Assert.Equal(3, received);
        }

        await ExpectTheOldProcessToServeOnAsync(old, members, "k2");
    }

    [Fact]
    public async Task A_new_process_that_vanishes_after_the_prefixes_were_released_leaves_the_old_one_listening_again()
    {
        var old = await StartFirstAsync();
        var members = await RoomAsync(old.Port, "p", 2);

        // Play the new process up to the last step before the commit: adopt, get the prefixes, then vanish unbound.
        using (var link = ConnectAsTheNewProcess())
        {
            var (_, sent) = await TakeEverySocketAsync(link);
            link.Send(new TakeoverMessage.Adopted(sent.Sockets));
            Assert.IsType<TakeoverMessage.PrefixesReleased>(await link.ReceiveAsync(Patience));
        }

        await ExpectTheOldProcessToServeOnAsync(old, members, "p2");
        Assert.Contains("Listening again on", old.Output);
    }

    private TakeoverLink ConnectAsTheNewProcess()
    {
        var link = TakeoverLink.TryConnect(_database.Path + ".takeover") ?? throw new InvalidOperationException("no control socket");
        link.Send(new TakeoverMessage.Hello(Environment.ProcessId));
        return link;
    }

    /// <summary>Receives the old process's sockets, closing each copy at once; how many came, and its last word.</summary>
    private static async Task<(int Received, TakeoverMessage.SocketsSent Sent)> TakeEverySocketAsync(TakeoverLink link)
    {
        var received = 0;
        while (true)
        {
            var (message, descriptors) = await link.ReceiveWithDescriptorsAsync(Patience);
            foreach (var descriptor in descriptors)
                DescriptorPassing.Close(descriptor);
            received += descriptors.Length;
            if (message is TakeoverMessage.SocketsSent sent)
                return (received, sent);
        }
    }

    /// <summary>The old process takes everything back: its members talk on, and a new client in <paramref name="freshRoom"/> gets in.</summary>
    private static async Task ExpectTheOldProcessToServeOnAsync(HostProcess old, List<ChatMember> members, string freshRoom)
    {
        await Eventually.TrueAsync(() => old.Output.Contains("Serving on after the abandoned takeover", StringComparison.Ordinal),
            "the old process takes everything back", Patience);
        await SayRoundAsync(members, "after");
        var fresh = await ChatMember.ConnectAsync(old.Port, freshRoom, "fresh");
        await fresh.SayAsync("fresh hello", Patience);
        await ChatMember.CheckRoomAsync(members, Patience);
        await DisposeAllAsync([.. members, fresh]);
    }

    [Fact]
    public async Task A_new_process_killed_during_the_handover_leaves_the_old_one_serving_and_a_later_takeover_succeeds()
    {
        var old = await StartFirstAsync();
        var members = await RoomAsync(old.Port, "k", 3);

        // The old process stands still while the new one asks, so the kill lands before the hand-over can finish; the
        // old one then finds a request whose sender is gone part-way through (at the latest when it sends the sockets).
        old.Pause();
        var killed = StartTakeover(old.Port);
        try
        {
            await Eventually.TrueAsync(() => killed.Output.Contains("Asked the server", StringComparison.Ordinal), "the new process asks", Patience);
            killed.Crash();
        }
        finally
        {
            old.Continue();
        }
        await Eventually.TrueAsync(() => old.Output.Contains("Serving on after the abandoned takeover", StringComparison.Ordinal),
            "the old process takes everything back", Patience);
        await SayRoundAsync(members, "after the kill");

        var newer = StartTakeover(old.Port);
        Assert.Equal(0, await old.ExitCodeAsync(Patience));
        await SayRoundAsync(members, "after the takeover");
        await ChatMember.CheckRoomAsync(members, Patience);
        Assert.Contains("Took over 3 sockets", newer.Output);
        await DisposeAllAsync(members);
    }

    [Fact]
    public async Task Two_takeovers_in_a_row_keep_every_socket_and_its_session()
    {
        var first = await StartFirstAsync();
        var port = first.Port;
        var room = await RoomAsync(port, "twice", 4);

        var second = StartTakeover(port);
        Assert.Equal(0, await first.ExitCodeAsync(Patience));
        await SayRoundAsync(room, "in the second process");
        var third = StartTakeover(port);
        Assert.Equal(0, await second.ExitCodeAsync(Patience));
        await SayRoundAsync(room, "in the third process");

        await ChatMember.CheckRoomAsync(room, Patience);
        Assert.Contains("Took over 4 sockets", third.Output);
        Assert.False(third.HasExited);
        await DisposeAllAsync(room);
    }

    [Fact]
    public async Task A_takeover_of_a_server_without_clients_serves_new_ones()
    {
        var old = await StartFirstAsync();
        var newer = StartTakeover(old.Port);
        Assert.Equal(0, await old.ExitCodeAsync(Patience));
        await Eventually.TrueAsync(() => newer.Output.Contains("Took over 0 sockets", StringComparison.Ordinal), "the takeover completes", Patience);

        var room = await RoomAsync(old.Port, "new", 2);
        await ChatMember.CheckRoomAsync(room, Patience);
        await DisposeAllAsync(room);
    }

    [Fact]
    public async Task Taking_over_where_no_server_runs_exits_with_code_1_and_says_so()
    {
        var (exitCode, _, text) = await HostProcess.RunAsync(Arguments("--takeover"));

        Assert.Equal(1, exitCode);
        Assert.Contains($"Cannot take over: No server is running on this journal: nothing listens on {_database.Path}.takeover", text);
    }

    [Fact]
    public async Task The_ops_script_deploys_with_a_takeover_and_systemd_hears_of_the_new_main_process()
    {
        // A Type=notify unit's socket, played by the spec.
        var notifyPath = Path.Combine(Path.GetTempPath(), $"akkahib-notify-{Guid.NewGuid():N}");
        using var notify = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        notify.Bind(new UnixDomainSocketEndPoint(notifyPath));
        var environment = new Dictionary<string, string> { ["NOTIFY_SOCKET"] = notifyPath };
        var log = Path.Combine(Path.GetTempPath(), $"akkahib-takeover-{Guid.NewGuid():N}.log");
        try
        {
            var old = await HostProcess.StartListeningAsync(environment, Arguments());
            _hosts.Add(old);
            Assert.Equal("READY=1", await ReceiveNotificationAsync(notify));
            var room = await RoomAsync(old.Port, "deploy", 2);

            var arguments = Arguments().Select(argument => argument.Replace("{port}", old.Port.ToString())).ToArray();
            var (exitCode, stdout, stderr) = await Script.RunAsync("bash", [Path.Combine(Script.RepositoryRoot, "ops", "takeover.sh"), .. arguments],
                environment: new Dictionary<string, string>(environment) { ["AKKAHIBERNATION_TAKEOVER_LOG"] = log });
            output.WriteLine(File.ReadAllText(log));

            Assert.True(exitCode == 0, stderr);
            var newPid = int.Parse(Regex.Match(stdout, @"process (\d+) took over").Groups[1].Value);
            using var newer = Process.GetProcessById(newPid);
            try
            {
                Assert.True(old.HasExited);
                Assert.Equal($"MAINPID={newPid}", await ReceiveNotificationAsync(notify));
                await SayRoundAsync(room, "after the deploy");
                await ChatMember.CheckRoomAsync(room, Patience);
            }
            finally
            {
                newer.Kill();
                await DisposeAllAsync(room);
            }
        }
        finally
        {
            File.Delete(notifyPath);
            File.Delete(log);
        }
    }

    [Fact]
    public async Task The_ops_script_says_when_no_server_runs()
    {
        var (exitCode, _, stderr) = await Script.BashAsync("takeover.sh", "--database", _database.Path);

        Assert.Equal(1, exitCode);
        Assert.Equal($"takeover.sh: no server is running on {_database.Path} (no live process in {_database.Path}.lock)", stderr.Trim());
    }

    private static async Task<string> ReceiveNotificationAsync(Socket notify)
    {
        var buffer = new byte[256];
        var length = await notify.ReceiveAsync(buffer, SocketFlags.None).WaitAsync(Patience);
        return System.Text.Encoding.UTF8.GetString(buffer, 0, length);
    }

    /// <summary>Connects <paramref name="count"/> members to <paramref name="room"/>, each saying hello.</summary>
    private static async Task<List<ChatMember>> RoomAsync(int port, string room, int count)
    {
        var members = new List<ChatMember>();
        for (var i = 0; i < count; i++)
            members.Add(await ChatMember.ConnectAsync(port, room, $"{room}/{i}"));
        await SayRoundAsync(members, "hello");
        return members;
    }

    /// <summary>Each member says <paramref name="text"/> in turn, waiting for its echo.</summary>
    private static async Task SayRoundAsync(IEnumerable<ChatMember> members, string text)
    {
        foreach (var member in members)
            await member.SayAsync($"{member.Name} {text}", Patience);
    }

    private static async Task DisposeAllAsync(IEnumerable<ChatMember> members)
    {
        foreach (var member in members)
            await member.DisposeAsync();
    }

    /// <summary>Says numbered messages, each once its previous one's echo came back, until told to stop.</summary>
    private static async Task ChatAsync(ChatMember member, string padding, CancellationToken stop)
    {
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            await member.SayAsync($"{member.Name} #{n}{padding}", Patience);
            await Task.Delay(100, CancellationToken.None);
        }
    }

    /// <summary>
    /// Connects a new client every 50 ms while the handover runs (until the old process has exited), each retrying
    /// until it is in and its first message comes back.
    /// </summary>
    private static async Task<(List<ChatMember> Clients, int Refused)> ConnectDuringTheHandoverAsync(int port, HostProcess old)
    {
        var clients = new List<ChatMember>();
        var refused = 0;
        var attempts = new List<Task>();
        for (var n = 0; attempts.Count < 10 || !old.HasExited; n++)
        {
            var name = $"late/{n}";
            attempts.Add(Task.Run(async () =>
            {
                var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
                while (true)
                {
                    ChatMember? client = null;
                    try
                    {
                        client = await ChatMember.ConnectAsync(port, $"late{name[5..]}", name);
                        await client.SayAsync($"{name} hello", TimeSpan.FromSeconds(5));
                        lock (clients)
                            clients.Add(client);
                        return;
                    }
                    catch (Exception) when (DateTime.UtcNow < deadline)
                    {
                        Interlocked.Increment(ref refused);
                        if (client is not null)
                            await client.DisposeAsync();
                        await Task.Delay(20);
                    }
                }
            }));
            await Task.Delay(50);
        }
        await Task.WhenAll(attempts);
        return (clients, refused);
    }
}

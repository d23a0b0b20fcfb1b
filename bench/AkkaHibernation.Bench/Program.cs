using AkkaHibernation.Bench;
using AkkaHibernation.Bench.Baseline;
using AkkaHibernation.Bench.Cli;
using AkkaHibernation.Bench.Scenarios;

List<Func<string, Task<bool>>> plan;
try
{
    if (args.Length > 0 && args[0] == BaselineServer.Mode)
    {
        var port = Arguments.Parse(args[1..], "port").Get("port", 0);
        return port > 0 ? await BaselineServer.RunAsync(port) : throw new UsageException($"{BaselineServer.Mode} needs --port");
    }
    if (args.Length > 0 && args[0] == CapacityWorker.Mode)
    {
        var a = Arguments.Parse(args[1..], "process", "per-process", "count", "rooms");
        var rooms = a.Text("rooms")?.Split(',').Select(room => new Uri(room)).ToList() ?? throw new UsageException($"{CapacityWorker.Mode} needs --rooms");
        var first = (a.Get("process", 1) - 1) * a.Get("per-process", 1);
        return await CapacityWorker.RunAsync(first, a.Get("count", 1), rooms);
    }
    plan = Plan(args);
}
catch (UsageException error)
{
    await Console.Error.WriteLineAsync(error.Message);
    await Console.Error.WriteLineAsync(Usage.Text);
    return 2;
}
if (plan.Count == 0)
{
    Console.WriteLine(Usage.Text);
    return 0;
}

var hostDll = await HostBuild.PublishedOrGivenAsync(RepoRoot.Find());
if (hostDll is null)
    return 1;

var failed = 0;
foreach (var scenario in plan)
{
    try
    {
        if (!await scenario(hostDll))
            failed++;
    }
    catch (Exception error)
    {
        failed++;
        await Console.Error.WriteLineAsync($"Scenario failed: {error.Message}");
        Result.Print(new { ok = false, error = error.Message });
    }
}
return failed == 0 ? 0 : 1;

static List<Func<string, Task<bool>>> Plan(string[] args)
{
    if (args.Length == 0)
        throw new UsageException("Name a scenario");
    var rest = args[1..];
    switch (args[0])
    {
        case "-h" or "--help" or "help":
            return [];
        case "fanout":
        {
            var a = Arguments.Parse(rest, "clients", "messages", "message-bytes", "deflate", "runs", "target", "nodes", "postgres");
            var (options, target, runs) = (FanOutOptions(a), Targets.Parse(a.Choice("target", Targets.Names)), a.Get("runs", 1));
            var cluster = ClusterOption(a, target);
            return [dll => Repeat.RunAsync("fanout", target, runs, () => FanOut.RunOnceAsync(ServerCommand.For(target, dll, FanOut.IdleTimeout), options, cluster))];
        }
        case "idle":
        {
            var a = Arguments.Parse(rest, "connections", "rooms", "idle-timeout-ms", "deflate", "hold-seconds", "runs", "target");
            var (options, target, runs) = (IdleOptions(a) with { HoldSeconds = a.Text("hold-seconds") is null ? 0 : a.Get("hold-seconds", 1) }, Targets.Parse(a.Choice("target", Targets.Names)), a.Get("runs", 1));
            return [dll => Repeat.RunAsync("idle", target, runs, () => Idle.RunOnceAsync(ServerCommand.For(target, dll, Idle.IdleTimeout(options)), options))];
        }
        case "wake":
        {
            var a = Arguments.Parse(rest, "sessions", "runs");
            var (options, runs) = (new Wake.Options(a.Get("sessions", 1000)), a.Get("runs", 1));
            return [dll => Repeat.RunAsync("wake", Target.Server, runs, () => Wake.RunOnceAsync(dll, options))];
        }
        case "connect":
        {
            var a = Arguments.Parse(rest, "clients", "warmup", "runs", "target", "hocon");
            var (options, target, runs) = (new ConnectStorm.Options(a.Get("clients", 5000), a.Get("warmup", 0)), Targets.Parse(a.Choice("target", Targets.Names)), a.Get("runs", 1));
            var hocon = a.Text("hocon") is { } setting ? [setting] : Array.Empty<string>();
            return [dll => Repeat.RunAsync("connect", target, runs, () => ConnectStorm.RunOnceAsync(ServerCommand.For(target, dll, ConnectStorm.IdleTimeout).WithHocon(hocon), options))];
        }
        case "sleepers":
        {
            var a = Arguments.Parse(rest, "rooms", "in-flight", "runs");
            var options = new Sleepers.Options(a.Get("rooms", 20_000), a.Get("in-flight", 64));
            return [dll => Repeat.RunAsync("sleepers", Target.Server, a.Get("runs", 1), () => Sleepers.RunOnceAsync(dll, options))];
        }
        case "sockets":
        {
            var a = Arguments.Parse(rest, "connections", "rooms", "cycles", "hold-seconds", "runs");
            var options = new SleepingSockets.Options(a.Get("connections", 19_000), a.Get("rooms", 190),
                a.Text("cycles") is null ? 0 : a.Get("cycles", 1), a.Text("hold-seconds") is null ? 0 : a.Get("hold-seconds", 1));
            if (options.Rooms > options.Connections)
                throw new UsageException("--rooms cannot exceed --connections");
            return [dll => Repeat.RunAsync("sockets", Target.Server, a.Get("runs", 1), () => SleepingSockets.RunOnceAsync(dll, options))];
        }
        case "takeover":
        {
            var a = Arguments.Parse(rest, "sockets", "rooms", "settle-seconds", "runs");
            var options = new Takeover.Options(a.Get("sockets", 1000), a.Get("rooms", 10), a.Get("settle-seconds", 0));
            return [dll => Repeat.RunAsync("takeover", Target.Server, a.Get("runs", 1), () => Takeover.RunOnceAsync(dll, options))];
        }
        case "journal":
        {
            var a = Arguments.Parse(rest, "cycles", "seconds", "snapshot-every", "runs");
            var options = new JournalChurn.Options(a.Get("cycles", 1000), a.Get("seconds", 120), a.Get("snapshot-every", 100));
            var runs = a.Get("runs", 1);
            return [dll => Repeat.RunAsync("journal", Target.Server, runs, () => JournalChurn.RunOnceAsync(dll, options))];
        }
        case "capacity":
        {
            var a = Arguments.Parse(rest, "connections", "per-process", "nodes", "postgres", "runs");
            var options = new Capacity.Options(a.Get("connections", 32_768), a.Get("per-process", 16_384));
            var cluster = ClusterOption(a, Target.Server);
            return [dll => Repeat.RunAsync("capacity", Target.Server, a.Get("runs", 1), () => Capacity.RunOnceAsync(dll, options, cluster))];
        }
        case "compare":
            return [ComparePlan(rest)];
        case "deflate":
            return [DeflatePlan(rest)];
        case "all":
        {
            var runs = Arguments.Parse(rest, "runs").Get("runs", 1);
            return
            [
                dll => Repeat.RunAsync("fanout", Target.Server, runs, () => FanOut.RunOnceAsync(ServerCommand.Host(dll, FanOut.IdleTimeout), new FanOut.Options(10, 500))),
                dll => Repeat.RunAsync("fanout", Target.Server, runs, () => FanOut.RunOnceAsync(ServerCommand.Host(dll, FanOut.IdleTimeout), new FanOut.Options(100, 50))),
                dll => Repeat.RunAsync("idle", Target.Server, runs, () => Idle.RunOnceAsync(ServerCommand.Host(dll, Idle.IdleTimeout(new Idle.Options())), new Idle.Options())),
                dll => Repeat.RunAsync("wake", Target.Server, runs, () => Wake.RunOnceAsync(dll, new Wake.Options())),
                dll => Repeat.RunAsync("journal", Target.Server, runs, () => JournalChurn.RunOnceAsync(dll, new JournalChurn.Options())),
            ];
        }
        default:
            throw new UsageException($"Unknown scenario '{args[0]}'");
    }
}

static Func<string, Task<bool>> ComparePlan(string[] args)
{
    if (args.Length == 0)
        throw new UsageException("compare needs a scenario: fanout or idle");
    var rest = args[1..];
    switch (args[0])
    {
        case "fanout":
        {
            var a = Arguments.Parse(rest, "clients", "messages", "message-bytes", "rounds");
            var (options, rounds) = (FanOutOptions(a), a.Get("rounds", 3));
            return dll => Compare.RunAsync($"fanout {options.Clients}x{options.Messages}", rounds, BaselineVariant, ServerVariant,
                target => FanOut.RunOnceAsync(ServerCommand.For(target, dll, FanOut.IdleTimeout), options));
        }
        case "idle":
        {
            var a = Arguments.Parse(rest, "connections", "rooms", "idle-timeout-ms", "rounds");
            var (options, rounds) = (IdleOptions(a), a.Get("rounds", 3));
            return dll => Compare.RunAsync($"idle {options.Connections}/{options.Rooms}", rounds, BaselineVariant, ServerVariant,
                target => Idle.RunOnceAsync(ServerCommand.For(target, dll, Idle.IdleTimeout(options)), options));
        }
        default:
            throw new UsageException($"compare runs fanout or idle, not '{args[0]}'");
    }
}

/// <summary>The server's scenario with clients that do not offer permessage-deflate and clients that do, interleaved.</summary>
static Func<string, Task<bool>> DeflatePlan(string[] args)
{
    if (args.Length == 0)
        throw new UsageException("deflate needs a scenario: fanout or idle");
    var rest = args[1..];
    var (plain, deflating) = (new Compare.Variant<bool>("uncompressed", false), new Compare.Variant<bool>("deflate", true));
    switch (args[0])
    {
        case "fanout":
        {
            var a = Arguments.Parse(rest, "clients", "messages", "message-bytes", "rounds");
            var (options, rounds) = (FanOutOptions(a), a.Get("rounds", 3));
            return dll => Compare.RunAsync($"fanout {options.Clients}x{options.Messages}, {options.MessageBytes}-byte messages", rounds, plain, deflating,
                deflate => FanOut.RunOnceAsync(ServerCommand.Host(dll, FanOut.IdleTimeout), options with { Deflate = deflate }));
        }
        case "idle":
        {
            var a = Arguments.Parse(rest, "connections", "rooms", "idle-timeout-ms", "rounds");
            var (options, rounds) = (IdleOptions(a), a.Get("rounds", 3));
            return dll => Compare.RunAsync($"idle {options.Connections}/{options.Rooms}", rounds, plain, deflating,
                deflate => Idle.RunOnceAsync(ServerCommand.Host(dll, Idle.IdleTimeout(options)), options with { Deflate = deflate }));
        }
        default:
            throw new UsageException($"deflate runs fanout or idle, not '{args[0]}'");
    }
}

static FanOut.Options FanOutOptions(Arguments a) =>
    new(a.Get("clients", 10), a.Get("messages", 500), a.Get("message-bytes", 0), a.Choice("deflate", "off", "on") == "on");

static ServerGroup.Cluster? ClusterOption(Arguments a, Target target)
{
    var nodes = a.Get("nodes", 1);
    var postgres = a.Text("postgres");
    if (nodes == 1)
        return postgres is null ? null : throw new UsageException("--postgres is for a cluster: give --nodes 2 or more");
    if (target == Target.Baseline)
        throw new UsageException("The baseline has no cluster mode: --nodes needs --target server");
    return postgres is null
        ? throw new UsageException("--nodes needs --postgres with a connection string to a database the nodes share")
        : new ServerGroup.Cluster(nodes, postgres);
}

static Idle.Options IdleOptions(Arguments a)
{
    var options = new Idle.Options(a.Get("connections", 2000), a.Get("rooms", 20), a.Get("idle-timeout-ms", 1000), a.Choice("deflate", "off", "on") == "on");
    return options.Rooms <= options.Connections ? options : throw new UsageException("--rooms cannot exceed --connections");
}

partial class Program
{
    private static readonly Compare.Variant<Target> BaselineVariant = new("baseline", Target.Baseline);
    private static readonly Compare.Variant<Target> ServerVariant = new("server", Target.Server);
}

using AkkaHibernation.Bench;
using AkkaHibernation.Bench.Cli;
using AkkaHibernation.Bench.Scenarios;

List<Func<string, Task<bool>>> plan;
try
{
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

var root = RepoRoot.Find();
if (!await HostBuild.RunAsync(root))
    return 1;
var hostDll = RepoRoot.HostDll(root);

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
            var a = Arguments.Parse(rest, "clients", "messages");
            var options = new FanOut.Options(a.Get("clients", 10), a.Get("messages", 500));
            return [dll => FanOut.RunAsync(dll, options)];
        }
        case "idle":
        {
            var a = Arguments.Parse(rest, "connections", "rooms", "idle-timeout-ms");
            var options = new Idle.Options(a.Get("connections", 2000), a.Get("rooms", 20), a.Get("idle-timeout-ms", 1000));
            if (options.Rooms > options.Connections)
                throw new UsageException("--rooms cannot exceed --connections");
            return [dll => Idle.RunAsync(dll, options)];
        }
        case "wake":
        {
            var a = Arguments.Parse(rest, "sessions");
            var options = new Wake.Options(a.Get("sessions", 1000));
            return [dll => Wake.RunAsync(dll, options)];
        }
        case "all":
            Arguments.Parse(rest);
            return
            [
                dll => FanOut.RunAsync(dll, new FanOut.Options(10, 500)),
                dll => FanOut.RunAsync(dll, new FanOut.Options(100, 50)),
                dll => Idle.RunAsync(dll, new Idle.Options(2000, 20)),
                dll => Wake.RunAsync(dll, new Wake.Options(1000)),
            ];
        default:
            throw new UsageException($"Unknown scenario '{args[0]}'");
    }
}

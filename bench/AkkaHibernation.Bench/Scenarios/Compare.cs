namespace AkkaHibernation.Bench.Scenarios;

/// <summary>
/// A scenario against the baseline and the server in one invocation, rounds interleaved (baseline first in odd
/// rounds, server first in even ones) so drift in the machine's load hits both alike. Prints the medians of each
/// and, per figure, the ratio server/baseline of the medians.
/// </summary>
public static class Compare
{
    public static async Task<bool> RunAsync(string scenario, int rounds, Func<Target, Task<RunResult>> once)
    {
        var results = new Dictionary<Target, List<RunResult>> { [Target.Baseline] = [], [Target.Server] = [] };
        for (var round = 1; round <= rounds; round++)
        {
            Target[] order = round % 2 == 1 ? [Target.Baseline, Target.Server] : [Target.Server, Target.Baseline];
            foreach (var target in order)
            {
                Console.WriteLine($"-- compare {scenario}, round {round} of {rounds}: {target.Name()}");
                results[target].Add(await Repeat.GuardedAsync(() => once(target)));
            }
        }

        var baseline = RunResult.Medians(results[Target.Baseline]);
        var server = RunResult.Medians(results[Target.Server]);
        var ratios = server.Keys.Where(baseline.ContainsKey)
            .ToDictionary(name => name, name => Result.Round(server[name] / baseline[name], 3));
        var ok = results.Values.SelectMany(r => r).All(r => r.Ok);
        Console.WriteLine($"compare {scenario}, {rounds} rounds, medians:");
        Console.WriteLine($"  baseline: {Repeat.Describe(baseline)}");
        Console.WriteLine($"  server:   {Repeat.Describe(server)}");
        Console.WriteLine($"  server/baseline: {Repeat.Describe(ratios)}");
        Result.Print(new
        {
            scenario = "compare",
            of = scenario,
            rounds,
            ok,
            baseline = new { runs = results[Target.Baseline].Select(r => r.Details), median = baseline },
            server = new { runs = results[Target.Server].Select(r => r.Details), median = server },
            ratioServerToBaseline = ratios,
        });
        return ok;
    }
}

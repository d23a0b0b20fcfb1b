namespace AkkaHibernation.Bench.Scenarios;

/// <summary>
/// A scenario in two variants in one invocation (the baseline and the server; or the server without and with
/// compression), rounds interleaved (the first variant first in odd rounds, the second first in even ones) so drift in
/// the machine's load hits both alike. Prints the medians of each and, per figure, the ratio second/first of the medians.
/// </summary>
public static class Compare
{
    /// <summary>One side of a comparison: its name in the output and what the scenario is run with.</summary>
    public sealed record Variant<T>(string Name, T Value);

    public static async Task<bool> RunAsync<T>(string scenario, int rounds, Variant<T> first, Variant<T> second, Func<T, Task<RunResult>> once)
    {
        var results = new Dictionary<string, List<RunResult>> { [first.Name] = [], [second.Name] = [] };
        for (var round = 1; round <= rounds; round++)
        {
            Variant<T>[] order = round % 2 == 1 ? [first, second] : [second, first];
            foreach (var variant in order)
            {
                Console.WriteLine($"-- compare {scenario}, round {round} of {rounds}: {variant.Name}");
                results[variant.Name].Add(await Repeat.GuardedAsync(() => once(variant.Value)));
            }
        }

        var firstMedians = RunResult.Medians(results[first.Name]);
        var secondMedians = RunResult.Medians(results[second.Name]);
        var ratios = secondMedians.Keys.Where(firstMedians.ContainsKey)
            .ToDictionary(name => name, name => Result.Round(secondMedians[name] / firstMedians[name], 3));
        var ok = results.Values.SelectMany(r => r).All(r => r.Ok);
        Console.WriteLine($"compare {scenario}, {rounds} rounds, medians:");
        Console.WriteLine($"  {first.Name}: {Repeat.Describe(firstMedians)}");
        Console.WriteLine($"  {second.Name}: {Repeat.Describe(secondMedians)}");
        Console.WriteLine($"  {second.Name}/{first.Name}: {Repeat.Describe(ratios)}");
        Result.Print(new
        {
            scenario = "compare",
            of = scenario,
            rounds,
            ok,
            first = new { name = first.Name, runs = results[first.Name].Select(r => r.Details), median = firstMedians },
            second = new { name = second.Name, runs = results[second.Name].Select(r => r.Details), median = secondMedians },
            ratioSecondToFirst = ratios,
        });
        return ok;
    }
}

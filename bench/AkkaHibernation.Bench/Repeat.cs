namespace AkkaHibernation.Bench;

/// <summary>
/// Runs a scenario N times (a fresh server each time), prints each run's summary as it ends, then one
/// <c>RESULT</c> line with every run and the median of each headline figure.
/// </summary>
public static class Repeat
{
    /// <summary>Runs <paramref name="once"/> <paramref name="runs"/> times; true when every run passed.</summary>
    public static async Task<bool> RunAsync(string scenario, Target target, int runs, Func<Task<RunResult>> once)
    {
        var results = new List<RunResult>();
        for (var run = 1; run <= runs; run++)
        {
            Console.WriteLine($"-- {scenario} against {target.Name()}, run {run} of {runs}");
            results.Add(await GuardedAsync(once));
        }
        var medians = RunResult.Medians(results);
        Console.WriteLine($"{scenario} ({target.Name()}) medians over {runs} runs: {Describe(medians)}");
        var ok = results.All(r => r.Ok);
        Result.Print(new { scenario, target = target.Name(), ok, runs = results.Select(r => r.Details), median = medians });
        return ok;
    }

    /// <summary>Runs one scenario, turning an exception into a failed run so later runs still happen.</summary>
    public static async Task<RunResult> GuardedAsync(Func<Task<RunResult>> once)
    {
        try
        {
            return await once();
        }
        catch (Exception error)
        {
            await Console.Error.WriteLineAsync($"Run failed: {error.Message}");
            return RunResult.Failed(error);
        }
    }

    public static string Describe(IReadOnlyDictionary<string, double> figures) =>
        string.Join(", ", figures.Select(pair => $"{pair.Key} {pair.Value}"));
}

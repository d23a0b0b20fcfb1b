namespace AkkaHibernation.Bench;

/// <summary>
/// One run of a scenario: whether its checks passed, the headline figures (what medians and ratios are taken
/// of), and every detail of the run for the RESULT line.
/// </summary>
public sealed record RunResult(bool Ok, IReadOnlyDictionary<string, double> Figures, object Details)
{
    /// <summary>A run that threw before it had figures.</summary>
    public static RunResult Failed(Exception error) =>
        new(false, new Dictionary<string, double>(), new { ok = false, error = error.Message });

    /// <summary>Per figure name, the median over the runs that have it.</summary>
    public static IReadOnlyDictionary<string, double> Medians(IReadOnlyList<RunResult> runs) =>
        runs.SelectMany(run => run.Figures.Keys).Distinct()
            .ToDictionary(name => name, name => Result.Round(Percentiles.Median(
                runs.Where(run => run.Figures.ContainsKey(name)).Select(run => run.Figures[name]).ToList())));
}

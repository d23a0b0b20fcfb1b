namespace AkkaHibernation.Bench;

/// <summary>Nearest-rank percentiles and the median over a set of samples.</summary>
public static class Percentiles
{
    /// <summary>The nearest-rank <paramref name="percent"/>th percentile; NaN for no samples.</summary>
    public static double Of(IReadOnlyList<double> samples, double percent)
    {
        if (samples.Count == 0)
            return double.NaN;
        var sorted = samples.Order().ToArray();
        var rank = (int)Math.Ceiling(percent / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    /// <summary>The middle value (mean of the two middle values for an even count); NaN for no samples.</summary>
    public static double Median(IReadOnlyList<double> samples)
    {
        if (samples.Count == 0)
            return double.NaN;
        var sorted = samples.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}

using System.Globalization;

namespace AkkaHibernation.Tests.Support;

/// <summary>Reads samples out of the Prometheus text that <c>/metrics</c> answers.</summary>
public static class MetricsText
{
    /// <summary>The sample's value, or null when the exporter has not seen the instrument yet.</summary>
    public static double? SampleOrNull(string metrics, string name)
    {
        var line = metrics.Split('\n').SingleOrDefault(l => l.StartsWith(name + " ", StringComparison.Ordinal));
        return line is null ? null : double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
    }

    /// <summary>The sample's value; fails the test when there is none.</summary>
    public static double Sample(string metrics, string name) =>
        SampleOrNull(metrics, name) ?? throw new Xunit.Sdk.XunitException($"No sample named {name}");
}

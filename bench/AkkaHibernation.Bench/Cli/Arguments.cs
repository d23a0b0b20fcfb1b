using System.Globalization;

namespace AkkaHibernation.Bench.Cli;

/// <summary>
/// <c>--name value</c> pairs after the scenario name; only the names a scenario declares are accepted, and each
/// value must be a positive integer.
/// </summary>
public sealed class Arguments
{
    private readonly Dictionary<string, int> _values = new(StringComparer.Ordinal);

    private Arguments()
    {
    }

    /// <summary>Parses <paramref name="args"/>; throws <see cref="UsageException"/> for anything not in <paramref name="allowed"/>.</summary>
    public static Arguments Parse(IReadOnlyList<string> args, params string[] allowed)
    {
        var parsed = new Arguments();
        for (var i = 0; i < args.Count; i += 2)
        {
            var name = args[i];
            if (!name.StartsWith("--", StringComparison.Ordinal) || !allowed.Contains(name[2..]))
                throw new UsageException($"Unknown option '{name}'");
            if (i + 1 >= args.Count)
                throw new UsageException($"Option '{name}' needs a value");
            if (!int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1)
                throw new UsageException($"Option '{name}' needs a positive integer, not '{args[i + 1]}'");
            if (!parsed._values.TryAdd(name[2..], value))
                throw new UsageException($"Option '{name}' is given twice");
        }
        return parsed;
    }

    public int Get(string name, int fallback) => _values.GetValueOrDefault(name, fallback);
}

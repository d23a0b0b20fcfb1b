using System.Globalization;

namespace AkkaHibernation.Bench.Cli;

/// <summary>
/// <c>--name value</c> pairs after the scenario name; only the names a scenario declares are accepted. Values are
/// checked when read: counts must be positive integers, choices one of the listed words.
/// </summary>
public sealed class Arguments
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

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
            if (!parsed._values.TryAdd(name[2..], args[i + 1]))
                throw new UsageException($"Option '{name}' is given twice");
        }
        return parsed;
    }

    /// <summary>The positive integer given for <c>--name</c>, or <paramref name="fallback"/>.</summary>
    public int Get(string name, int fallback)
    {
        if (!_values.TryGetValue(name, out var text))
            return fallback;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1)
            throw new UsageException($"Option '--{name}' needs a positive integer, not '{text}'");
        return value;
    }

    /// <summary>The text given for <c>--name</c>, or null.</summary>
    public string? Text(string name) => _values.GetValueOrDefault(name);

    /// <summary>The value given for <c>--name</c>, which must be one of <paramref name="choices"/>; the first choice by default.</summary>
    public string Choice(string name, params string[] choices)
    {
        if (!_values.TryGetValue(name, out var text))
            return choices[0];
        return choices.Contains(text, StringComparer.Ordinal)
            ? text
            : throw new UsageException($"Option '--{name}' is one of {string.Join(", ", choices)}, not '{text}'");
    }
}

using System.Text.Json;

namespace AkkaHibernation.Server.Ops;

/// <summary>Writes command results: aligned tables for people, indented JSON for scripts.</summary>
public sealed class OpsOutput(TextWriter writer, bool json)
{
    // Output for people and scripts, not for HTML: "->" stays "->" rather than "\u003E".
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly JsonSerializerOptions JsonLineOptions = new(JsonOptions) { WriteIndented = false };

    /// <summary>True when the command was asked for JSON.</summary>
    public bool Json { get; } = json;

    /// <summary>Writes <paramref name="value"/> as JSON.</summary>
    public void WriteJson<T>(T value) => writer.WriteLine(JsonSerializer.Serialize(value, JsonOptions));

    /// <summary>Writes <paramref name="value"/> as one line of JSON (for streams of records).</summary>
    public void WriteJsonLine<T>(T value) => writer.WriteLine(JsonSerializer.Serialize(value, JsonLineOptions));

    /// <summary>Writes a line of text (table mode).</summary>
    public void WriteLine(string line = "") => writer.WriteLine(line);

    /// <summary>Writes rows under headers, each column as wide as its widest cell.</summary>
    public void WriteTable(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var all = rows.ToList();
        var widths = headers.Select((header, column) => all.Select(row => row[column].Length).Append(header.Length).Max()).ToArray();
        writer.WriteLine(Format(headers, widths));
        writer.WriteLine(string.Join("  ", widths.Select(width => new string('-', width))));
        foreach (var row in all)
            writer.WriteLine(Format(row, widths));
    }

    /// <summary>A compact one-line JSON rendering, for table cells.</summary>
    public static string Compact(JsonElement? value) => value is { } element ? element.GetRawText() : "";

    /// <summary>An age such as "3m 12s", for table cells.</summary>
    public static string Age(DateTimeOffset? since) => since is { } at ? Format(DateTimeOffset.UtcNow - at) : "";

    private static string Format(TimeSpan age) => age switch
    {
        { TotalDays: >= 1 } => $"{(int)age.TotalDays}d {age.Hours}h",
        { TotalHours: >= 1 } => $"{(int)age.TotalHours}h {age.Minutes}m",
        { TotalMinutes: >= 1 } => $"{(int)age.TotalMinutes}m {age.Seconds}s",
        _ => $"{Math.Max(0, (int)age.TotalSeconds)}s",
    };

    private static string Format(IReadOnlyList<string> cells, int[] widths) =>
        string.Join("  ", cells.Select((cell, column) => cell.PadRight(widths[column]))).TrimEnd();
}

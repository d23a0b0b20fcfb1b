using System.Diagnostics;
using System.Text.Json;

namespace AkkaHibernation.Bench;

/// <summary>Prints a scenario's figures as one machine-readable line: <c>RESULT {json}</c>.</summary>
public static class Result
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static void Print(object figures) =>
        Console.WriteLine("RESULT " + JsonSerializer.Serialize(figures, figures.GetType(), Options));

    /// <summary>Milliseconds between two Stopwatch timestamps, rounded to 0.01 ms.</summary>
    public static double Ms(long from, long to) => Round(Stopwatch.GetElapsedTime(from, to).TotalMilliseconds);

    public static double Round(double value, int digits = 2) => Math.Round(value, digits);
}

namespace AkkaHibernation.Bench;

/// <summary>Checks the open-file limit (from /proc/self/limits) before opening many sockets.</summary>
public static class FdLimit
{
    private const int Headroom = 256;

    /// <summary>Throws with a hint when <paramref name="sockets"/> would not fit under the soft limit.</summary>
    public static void Require(int sockets)
    {
        var limit = SoftLimit();
        if (limit is { } value && sockets + Headroom > value)
        {
            throw new InvalidOperationException(
                $"{sockets} sockets need about {sockets + Headroom} file descriptors but the limit is {value}; " +
                $"run under: bash -c 'ulimit -n {sockets + Headroom} && dotnet run ...'");
        }
    }

    private static long? SoftLimit()
    {
        const string path = "/proc/self/limits";
        if (!File.Exists(path))
            return null;
        var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal));
        var fields = line?["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields is { Length: > 0 } && long.TryParse(fields[0], out var soft) ? soft : null;
    }
}

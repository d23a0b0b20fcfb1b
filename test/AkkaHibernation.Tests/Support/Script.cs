using System.Diagnostics;

namespace AkkaHibernation.Tests.Support;

/// <summary>Runs programs of the repository (ops scripts against the host binary built with the tests, the browser test).</summary>
public static class Script
{
    /// <summary>The repository root (where AkkaHibernation.sln is).</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    public static Task<(int ExitCode, string Stdout, string Stderr)> BashAsync(string script, params string[] arguments) =>
        RunAsync("bash", [Path.Combine(RepositoryRoot, "ops", script), .. arguments]);

    public static Task<(int ExitCode, string Stdout, string Stderr)> PwshAsync(string script, params string[] arguments) =>
        RunAsync("dotnet", ["pwsh", "-NoProfile", "-File", Path.Combine(RepositoryRoot, "ops", script), .. arguments]);

    /// <summary>
    /// Runs <paramref name="program"/> in <paramref name="workingDirectory"/> (the repository root unless given) and
    /// kills it if it has not exited within <paramref name="timeout"/> (120 s unless given).
    /// </summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(
        string program,
        IEnumerable<string> arguments,
        string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null,
        TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? RepositoryRoot,
        };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        // The scripts run the host built next to the tests instead of `dotnet run`.
        info.Environment["AKKAHIBERNATION_HOST"] = Path.Combine(AppContext.BaseDirectory, "AkkaHibernation.Host");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            info.Environment[name] = value;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout ?? TimeSpan.FromSeconds(120));
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not exit within {timeout ?? TimeSpan.FromSeconds(120)}");
        }
        return (process.ExitCode, await stdout, await stderr);
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "AkkaHibernation.sln")))
                return directory.FullName;
        }
        throw new InvalidOperationException("The tests run outside the repository");
    }
}

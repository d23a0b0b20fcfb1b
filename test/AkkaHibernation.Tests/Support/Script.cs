using System.Diagnostics;

namespace AkkaHibernation.Tests.Support;

/// <summary>Runs programs of the repository (ops scripts against the host binary built with the tests, the browser test).</summary>
public static class Script
{
    /// <summary>The repository root (where AkkaHibernation.sln is).</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    public static Task<(int ExitCode, string Stdout, string Stderr)> BashAsync(string script, params string[] arguments) =>
        RunAsync("bash", [Path.Combine(RepositoryRoot, "ops", script), .. arguments]);

    /// <summary>Runs an ops PowerShell script with the repository's local PowerShell tool, restored first if need be.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> PwshAsync(string script, params string[] arguments)
    {
        await PowerShellRestored.Value;
        return await RunAsync("dotnet", ["pwsh", "-NoProfile", "-File", Path.Combine(RepositoryRoot, "ops", script), .. arguments]);
    }

    // PowerShell is a local dotnet tool (.config/dotnet-tools.json): on a fresh clone `dotnet test` alone must pass, so
    // the specs restore it once per run, as a newcomer would before running a script.
    private static readonly Lazy<Task> PowerShellRestored = new(async () =>
    {
        var (exitCode, stdout, stderr) = await RunAsync("dotnet", ["tool", "restore"], timeout: TimeSpan.FromMinutes(5));
        if (exitCode != 0)
            throw new InvalidOperationException($"dotnet tool restore failed with {exitCode}:\n{stdout}\n{stderr}");
    });

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

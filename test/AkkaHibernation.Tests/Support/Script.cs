using System.Diagnostics;

namespace AkkaHibernation.Tests.Support;

/// <summary>Runs the repository's ops scripts (bash and PowerShell) against the host binary built with the tests.</summary>
public static class Script
{
    /// <summary>The repository root (where AkkaHibernation.sln is).</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    public static Task<(int ExitCode, string Stdout, string Stderr)> BashAsync(string script, params string[] arguments) =>
        RunAsync("bash", [Path.Combine(RepositoryRoot, "ops", script), .. arguments]);

    public static Task<(int ExitCode, string Stdout, string Stderr)> PwshAsync(string script, params string[] arguments) =>
        RunAsync("dotnet", ["pwsh", "-NoProfile", "-File", Path.Combine(RepositoryRoot, "ops", script), .. arguments]);

    private static async Task<(int, string, string)> RunAsync(string program, string[] arguments)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot,
        };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        // The scripts run the host built next to the tests instead of `dotnet run`.
        info.Environment["AKKAHIBERNATION_HOST"] = Path.Combine(AppContext.BaseDirectory, "AkkaHibernation.Host");
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
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

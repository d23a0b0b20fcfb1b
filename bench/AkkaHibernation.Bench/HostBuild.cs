using System.Diagnostics;

namespace AkkaHibernation.Bench;

/// <summary>
/// Publishes the host once (<c>dotnet publish src/Host -c Release --use-current-runtime --self-contained false</c>),
/// bounded, and says clearly when it fails. Published, the host is ready-to-run compiled, as it is deployed; the
/// framework stays the machine's shared one, as for the baseline.
/// </summary>
public static class HostBuild
{
    /// <summary>
    /// Environment variable naming a folder that already holds a published host, used instead of publishing one: for
    /// measuring two builds (or one build under two runtime settings) side by side without a publish between runs.
    /// </summary>
    public const string GivenHostVariable = "AKKAHIBERNATION_BENCH_HOST";

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    /// <summary>The host's entry assembly: the one in <see cref="GivenHostVariable"/>'s folder, or a fresh publish; null when neither works.</summary>
    public static async Task<string?> PublishedOrGivenAsync(string repoRoot)
    {
        if (Environment.GetEnvironmentVariable(GivenHostVariable) is { Length: > 0 } folder)
        {
            var given = Path.Combine(Path.GetFullPath(folder), RepoRoot.HostDllName);
            if (File.Exists(given))
            {
                Console.WriteLine($"Using the host given in {GivenHostVariable}: {given}");
                return given;
            }
            await Console.Error.WriteLineAsync($"{GivenHostVariable} is {folder}, which holds no {RepoRoot.HostDllName}");
            return null;
        }
        return await RunAsync(repoRoot) ? RepoRoot.HostDll(repoRoot) : null;
    }

    private static async Task<bool> RunAsync(string repoRoot)
    {
        string[] arguments = ["publish", "src/Host", "-c", "Release", "--use-current-runtime", "--self-contained", "false", "-o", RepoRoot.HostDirectory(repoRoot)];
        Console.WriteLine($"Building: dotnet {string.Join(' ', arguments)}");
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = repoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in arguments)
            info.ArgumentList.Add(arg);

        var output = new List<string>();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.Add(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.Add(e.Data); };
        var watch = Stopwatch.StartNew();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await Console.Error.WriteLineAsync($"Build did not finish within {Timeout.TotalMinutes} min; killed it");
            return false;
        }

        if (process.ExitCode != 0)
        {
            await Console.Error.WriteLineAsync($"Build FAILED (exit code {process.ExitCode}). Last output:");
            lock (output)
            {
                foreach (var line in output.TakeLast(40))
                    Console.Error.WriteLine(line);
            }
            return false;
        }

        var dll = RepoRoot.HostDll(repoRoot);
        if (!File.Exists(dll))
        {
            await Console.Error.WriteLineAsync($"Build succeeded but {dll} is missing");
            return false;
        }
        Console.WriteLine($"Built in {watch.Elapsed.TotalSeconds:F1} s: {dll}");
        return true;
    }
}

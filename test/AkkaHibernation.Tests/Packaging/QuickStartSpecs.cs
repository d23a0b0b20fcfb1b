using System.Text.RegularExpressions;
using AkkaHibernation.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace AkkaHibernation.Tests.Packaging;

/// <summary>Runs alone: packing and building a fresh project take both cores for a minute, which other specs would feel.</summary>
[CollectionDefinition(nameof(QuickStartSpecs), DisableParallelization = true)]
public sealed class QuickStartCollection;

/// <summary>
/// The packages and the room author's guide work outside the repository: the libraries are packed into a folder feed,
/// the files of docs/ROOMS.md's quick start are written into an empty folder outside the repository that references
/// the packages by version (no project reference), and the program is built, run and talked to over a real socket.
/// </summary>
[ProcessLevel]
[Collection(nameof(QuickStartSpecs))]
public sealed partial class QuickStartSpecs(ITestOutputHelper output) : IDisposable
{
    private static readonly string[] Libraries = ["Abstractions", "Actors", "Transport", "Server"];
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(5);

    // A version no earlier run used, so NuGet's package cache cannot hand back an older build of the same number.
    private readonly string _version = $"0.1.0-quickstart.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
    private readonly string _root = Directory.CreateTempSubdirectory("akkahib-quickstart-").FullName;

    public void Dispose()
    {
        Directory.Delete(_root, recursive: true);
        // The restore put this run's packages in the user's cache; no later run asks for this version again.
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                    ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var library in Libraries)
        {
            var folder = Path.Combine(cache, $"akkahibernation.{library.ToLowerInvariant()}", _version);
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task The_guides_quick_start_builds_on_the_packed_packages_and_serves_its_room()
    {
        var feed = Path.Combine(_root, "feed");
        foreach (var library in Libraries)
        {
            await RunAsync("dotnet", ["pack", Path.Combine(Script.RepositoryRoot, "src", library), "-c", "Release", "-o", feed,
                $"-p:Version={_version}", "--no-restore", "--nologo"], Script.RepositoryRoot);
        }

        var project = Path.Combine(_root, "Counter");
        Directory.CreateDirectory(project);
        var files = QuickStartFiles();
        Assert.Equal(["Counter.cs", "Counter.csproj", "Program.cs"], files.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, text) in files)
        {
            // The guide names the released version; this run's packages carry their own.
            var content = name.EndsWith(".csproj", StringComparison.Ordinal) ? text.Replace("Version=\"0.1.0\"", $"Version=\"{_version}\"") : text;
            await File.WriteAllTextAsync(Path.Combine(project, name), content);
        }
        // The folder feed besides the machine's own sources, as a user adds a private feed.
        await File.WriteAllTextAsync(Path.Combine(project, "nuget.config"),
            $"""<configuration><packageSources><add key="quickstart" value="{feed}" /></packageSources></configuration>""");
        await RunAsync("dotnet", ["build", "-c", "Release", "--nologo"], project);

        // The quick start's own program, run as the tests run ours: its output kept, its start awaited, a port retried.
        var program = Path.Combine(project, "bin", "Release", "net10.0", "Counter");
        using var server = await HostProcess.StartProgramListeningAsync(program,
            "--listen", "http://127.0.0.1:{port}/", "--admin", "off", "--database", Path.Combine(_root, "journal.db"));
        var port = server.Port;
        await using (var first = await TestClient.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/parties/counter/lobby")))
        await using (var second = await TestClient.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/parties/counter/lobby")))
        {
            await first.SendAsync("hello");
            Assert.Equal(("count: 1", "count: 1"), (await first.ReceiveAsync(), await second.ReceiveAsync()));
            await second.SendAsync("again");
            Assert.Equal(("count: 2", "count: 2"), (await first.ReceiveAsync(), await second.ReceiveAsync()));
        }
        await using (var seed = await TestClient.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/websocket")))
        {
            await seed.SendAsync("ping");
            Assert.Equal("pong", await seed.ReceiveAsync()); // the seed's room is still the default type
        }

        server.Terminate();
        var exitCode = await server.ExitCodeAsync(TimeSpan.FromSeconds(30));
        output.WriteLine(server.Output);
        Assert.True(exitCode == 0, server.Output);
    }

    /// <summary>The code blocks of docs/ROOMS.md whose info string names a file (<c>```csharp file=Program.cs</c>).</summary>
    private static Dictionary<string, string> QuickStartFiles()
    {
        var guide = File.ReadAllText(Path.Combine(Script.RepositoryRoot, "docs", "ROOMS.md"));
        return FileBlock().Matches(guide).ToDictionary(match => match.Groups["name"].Value, match => match.Groups["text"].Value);
    }

    [GeneratedRegex(@"^```\w+ file=(?<name>\S+)\n(?<text>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex FileBlock();

    private async Task RunAsync(string program, string[] arguments, string folder)
    {
        var (exitCode, stdout, stderr) = await Script.RunAsync(program, arguments, folder, timeout: BuildTimeout);
        Assert.True(exitCode == 0, $"{program} {string.Join(' ', arguments)} exited with {exitCode}:\n{stdout}\n{stderr}");
    }
}

using AkkaHibernation.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace AkkaHibernation.Tests.Samples;

/// <summary>
/// The chat sample's own program (samples/Chat, run as a process, as `dotnet run --project samples/Chat` runs it) in
/// real headless Chromium (test/browser/chat-demo.mjs): pages chat through a room that hibernates between messages,
/// with permessage-deflate negotiated, and a page's own WebSocket gets the seed's frames.
/// </summary>
[ProcessLevel]
public sealed class BrowserDemoSpecs(ITestOutputHelper output) : IDisposable
{
    private static readonly HttpClient Http = new();
    private readonly TestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [BrowserFact]
    public async Task Two_browser_pages_chat_through_a_room_that_hibernates_between_messages()
    {
        await NodeScripts.EnsureInstalledAsync();
        using var sample = await HostProcess.StartProgramListeningAsync(HostProcess.ChatSample,
            "--listen", "http://127.0.0.1:{port}/", "--admin", "http://127.0.0.1:{admin-port}/", "--idle-timeout", "300ms",
            "--database", _database.Path);
        var metrics = $"http://127.0.0.1:{sample.AdminPort}/metrics";

        var (exitCode, stdout, stderr) = await Script.RunAsync("node", ["chat-demo.mjs"], NodeScripts.Folder,
            new Dictionary<string, string>
            {
                ["BASE_URL"] = $"http://127.0.0.1:{sample.Port}",
                ["METRICS_URL"] = metrics,
                ["CHROMIUM"] = BrowserFactAttribute.Chromium!,
            },
            TimeSpan.FromSeconds(120));
        output.WriteLine(stdout);
        output.WriteLine(stderr);
        output.WriteLine(sample.Output);

        Assert.True(exitCode == 0, $"chat-demo.mjs exited with {exitCode}: {stderr}");
        var counters = await Http.GetStringAsync(metrics);
        var wakes = MetricsText.Sample(counters, "akkahibernation_rooms_wakes");
        var compressed = MetricsText.Sample(counters, "akkahibernation_frames_compressed");
        Assert.True(wakes >= 2, $"the room woke for bob's message and carol's join (wakes: {wakes})");
        Assert.True(compressed >= 2, $"the long seed frames went out compressed (compressed: {compressed})");
    }
}

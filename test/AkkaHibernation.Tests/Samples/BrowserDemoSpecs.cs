using AkkaHibernation.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace AkkaHibernation.Tests.Samples;

/// <summary>The demo page in real headless Chromium (test/browser/chat-demo.mjs): two pages chat through a room that hibernates between messages.</summary>
public sealed class BrowserDemoSpecs(ITestOutputHelper output) : NodeSpec(output, "300ms")
{
    private static readonly string ScriptFolder = Path.Combine(Script.RepositoryRoot, "test", "browser");

    [BrowserFact]
    public async Task Two_browser_pages_chat_through_a_room_that_hibernates_between_messages()
    {
        await InstallPlaywrightAsync();

        var (exitCode, stdout, stderr) = await Script.RunAsync("node", ["chat-demo.mjs"], ScriptFolder,
            new Dictionary<string, string>
            {
                ["BASE_URL"] = Node.Http("/").ToString().TrimEnd('/'),
                ["METRICS_URL"] = Node.Admin("/metrics").ToString(),
                ["CHROMIUM"] = BrowserFactAttribute.Chromium!,
            },
            TimeSpan.FromSeconds(120));
        Output.WriteLine(stdout);
        Output.WriteLine(stderr);

        Assert.True(exitCode == 0, $"chat-demo.mjs exited with {exitCode}: {stderr}");
        Assert.True(Node.Node.Rooms.Wakes >= 2, $"the room woke for bob's message and carol's join (wakes: {Node.Node.Rooms.Wakes})");
    }

    private async Task InstallPlaywrightAsync()
    {
        if (Directory.Exists(Path.Combine(ScriptFolder, "node_modules", "playwright-core")))
            return;
        var (exitCode, stdout, stderr) = await Script.RunAsync("npm", ["ci", "--no-audit", "--no-fund"], ScriptFolder, timeout: TimeSpan.FromSeconds(180));
        Assert.True(exitCode == 0, $"npm ci in test/browser failed ({exitCode}): {stdout}{stderr}");
    }
}

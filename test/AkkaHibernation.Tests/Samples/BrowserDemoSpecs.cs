using AkkaHibernation.Server.Node;
using AkkaHibernation.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace AkkaHibernation.Tests.Samples;

/// <summary>
/// The demo page in real headless Chromium (test/browser/chat-demo.mjs): pages chat through a room that hibernates
/// between messages, with permessage-deflate negotiated, and a page's own WebSocket gets the seed's frames.
/// </summary>
[ProcessLevel]
public sealed class BrowserDemoSpecs(ITestOutputHelper output) : NodeSpec(output, "300ms")
{
    protected override HostedRooms ServedRooms => ChatHosting.Rooms();

    [BrowserFact]
    public async Task Two_browser_pages_chat_through_a_room_that_hibernates_between_messages()
    {
        await NodeScripts.EnsureInstalledAsync();

        var (exitCode, stdout, stderr) = await Script.RunAsync("node", ["chat-demo.mjs"], NodeScripts.Folder,
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
        Assert.True(Node.Node.RoomCounters.Wakes >= 2, $"the room woke for bob's message and carol's join (wakes: {Node.Node.RoomCounters.Wakes})");
        Assert.True(Node.Node.TransportCounters.FramesCompressed >= 2, $"the long seed frames went out compressed (compressed: {Node.Node.TransportCounters.FramesCompressed})");
    }
}

using AkkaHibernation.Server.Node;
using AkkaHibernation.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace AkkaHibernation.Tests.EndToEnd;

/// <summary>
/// Node.js clients a JavaScript team already uses (test/browser/node-clients.mjs): `ws` with permessage-deflate on and
/// off gets the seed's frames byte for byte, and PartyKit's `partysocket` connects unchanged to the seed's room (party
/// <c>main</c>) and to the chat room (party <c>chat</c>).
/// </summary>
[ProcessLevel]
public sealed class NodeClientSpecs(ITestOutputHelper output) : NodeSpec(output)
{
    protected override HostedRooms ServedRooms => ChatHosting.Rooms();

    [NodeFact]
    public async Task Ws_and_partysocket_clients_talk_to_the_seeds_room_and_the_chat_room()
    {
        await NodeScripts.EnsureInstalledAsync();

        var (exitCode, stdout, stderr) = await Script.RunAsync("node", ["node-clients.mjs"], NodeScripts.Folder,
            new Dictionary<string, string>
            {
                ["BASE_URL"] = $"ws://127.0.0.1:{Node.Port}",
                ["HOST"] = $"127.0.0.1:{Node.Port}",
            },
            TimeSpan.FromSeconds(60));
        Output.WriteLine(stdout);
        Output.WriteLine(stderr);

        Assert.True(exitCode == 0, $"node-clients.mjs exited with {exitCode}: {stderr}");
        Assert.True(Node.Node.TransportCounters.FramesCompressed > 0, "the long message went out compressed to the deflating clients");
    }
}

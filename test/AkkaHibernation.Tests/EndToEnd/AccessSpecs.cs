using AkkaHibernation.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace AkkaHibernation.Tests.EndToEnd;

/// <summary>Who may connect: the Origin allow-list, bearer tokens, and the connection limits per node and per address.</summary>
public sealed class AccessSpecs(ITestOutputHelper output) : NodeSpec(output, "10s",
    "akka-hibernation.transport.allowed-origins = [\"https://good.example\"]",
    "akka-hibernation.transport.auth.bearer-tokens = [\"s3cret\"]",
    "akka-hibernation.transport.max-connections = 3",
    "akka-hibernation.transport.max-connections-per-ip = 2")
{
    private readonly List<RawClient> _raw = [];

    public override async Task DisposeAsync()
    {
        foreach (var client in _raw)
            await client.DisposeAsync();
        await base.DisposeAsync();
    }

    private async Task<string> UpgradeAsync(string headers, string? from = null)
    {
        var client = await RawClient.ConnectAsync(Node.Port, from);
        _raw.Add(client);
        return await client.RequestAsync(RawClient.Handshake(Node.Port, "/websocket", headers));
    }

    private const string Good = "Origin: https://good.example\r\nAuthorization: Bearer s3cret\r\n";

    [Fact]
    public async Task An_origin_not_on_the_allow_list_gets_403()
    {
        var response = await UpgradeAsync("Origin: https://evil.example\r\nAuthorization: Bearer s3cret\r\n");
        Assert.StartsWith("HTTP/1.1 403", response);
        Assert.EndsWith("Origin 'https://evil.example' is not allowed to connect", response);
    }

    [Fact]
    public async Task Without_a_bearer_token_the_upgrade_gets_401_and_with_a_wrong_one_403()
    {
        var missing = await UpgradeAsync("Origin: https://good.example\r\n");
        Assert.StartsWith("HTTP/1.1 401", missing);
        Assert.EndsWith("This server needs an Authorization: Bearer token", missing);

        var wrong = await UpgradeAsync("Origin: https://good.example\r\nAuthorization: Bearer guess\r\n");
        Assert.StartsWith("HTTP/1.1 403", wrong);
        Assert.EndsWith("The bearer token is not valid", wrong);
    }

    [Fact]
    public async Task Connections_over_the_per_address_limit_get_429_and_over_the_node_limit_503()
    {
        Assert.StartsWith("HTTP/1.1 101", await UpgradeAsync(Good));
        Assert.StartsWith("HTTP/1.1 101", await UpgradeAsync(Good));

        var perAddress = await UpgradeAsync(Good);
        Assert.StartsWith("HTTP/1.1 429", perAddress);
        Assert.EndsWith("Too many connections from 127.0.0.1: the limit is 2", perAddress);

        Assert.StartsWith("HTTP/1.1 101", await UpgradeAsync(Good, from: "127.0.0.2"));
        var node = await UpgradeAsync(Good, from: "127.0.0.3");
        Assert.StartsWith("HTTP/1.1 503", node);
        Assert.EndsWith("Server is at its limit of 3 connections", node);
    }

    [Fact]
    public async Task A_closed_connection_gives_its_slot_back()
    {
        Assert.StartsWith("HTTP/1.1 101", await UpgradeAsync(Good));
        Assert.StartsWith("HTTP/1.1 101", await UpgradeAsync(Good));
        await _raw[0].SendFrameAsync(0x8, [0x03, 0xE8]);
        Assert.Equal(1000, (await _raw[0].ReadCloseAsync()).Code);
        await Eventually.TrueAsync(() => Node.Node.TransportCounters.ConnectionsOpen == 1, "the closed connection counted out");

        Assert.StartsWith("HTTP/1.1 101", await UpgradeAsync(Good));
    }
}

using System.Text;
using AkkaHibernation.Tests.Support;
using Xunit;
using Xunit.Abstractions;
using static AkkaHibernation.Tests.Support.Seed;

namespace AkkaHibernation.Tests.EndToEnd;

/// <summary>Raw TCP clients that break HTTP or RFC 6455: each gets a status with a body or the right close code, and the server carries on.</summary>
public sealed class BadInputSpecs(ITestOutputHelper output)
    : NodeSpec(output, "10s", $"akka-hibernation.transport.max-message-bytes = {Limit}")
{
    private const int Limit = 1024;

    public override async Task DisposeAsync()
    {
        // Whatever the test sent, the server still answers plain HTTP afterwards.
        await using (var check = await RawClient.ConnectAsync(Node.Port))
        {
            var response = await check.RequestAsync($"GET / HTTP/1.1\r\nHost: 127.0.0.1:{Node.Port}\r\n\r\n");
            Assert.StartsWith("HTTP/1.1 200", response);
        }
        await base.DisposeAsync();
    }

    private async Task<RawClient> UpgradedClientAsync(string path = "/websocket")
    {
        var client = await RawClient.ConnectAsync(Node.Port);
        await client.UpgradeAsync(Node.Port, path);
        return client;
    }

    [Fact]
    public async Task A_malformed_request_line_gets_400()
    {
        await using var client = await RawClient.ConnectAsync(Node.Port);
        var response = await client.RequestAsync("THIS IS NOT HTTP\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 400", response);
    }

    [Fact]
    public async Task An_upgrade_without_a_key_gets_400_saying_so()
    {
        await using var client = await RawClient.ConnectAsync(Node.Port);
        var response = await client.RequestAsync(
            $"GET /websocket HTTP/1.1\r\nHost: 127.0.0.1:{Node.Port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 400", response);
        Assert.EndsWith("WebSocket upgrade needs a Sec-WebSocket-Key header holding 16 bytes in base64", response);
    }

    [Fact]
    public async Task An_upgrade_with_a_bad_key_gets_400()
    {
        await using var client = await RawClient.ConnectAsync(Node.Port);
        var response = await client.RequestAsync(
            $"GET /websocket HTTP/1.1\r\nHost: 127.0.0.1:{Node.Port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dG9vIHNob3J0\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 400", response);
    }

    [Fact]
    public async Task An_upgrade_with_another_protocol_version_gets_426_naming_version_13()
    {
        await using var client = await RawClient.ConnectAsync(Node.Port);
        var response = await client.RequestAsync(RawClient.Handshake(Node.Port).Replace("Sec-WebSocket-Version: 13", "Sec-WebSocket-Version: 8"));
        Assert.StartsWith("HTTP/1.1 426", response);
        Assert.Contains("Sec-WebSocket-Version: 13\r\n", response);
        Assert.EndsWith("Unsupported Sec-WebSocket-Version '8': this server speaks version 13 (RFC 6455)", response);
    }

    [Fact]
    public async Task An_upgrade_without_Connection_Upgrade_gets_400()
    {
        await using var client = await RawClient.ConnectAsync(Node.Port);
        var response = await client.RequestAsync(RawClient.Handshake(Node.Port).Replace("Connection: Upgrade", "Connection: keep-alive"));
        Assert.StartsWith("HTTP/1.1 400", response);
        Assert.EndsWith("WebSocket upgrade needs a Connection header that includes 'Upgrade'", response);
    }

    [Theory]
    [InlineData("unmasked", "Client frames must be masked")]
    [InlineData("reserved-opcode", "Reserved opcode 0x3")]
    [InlineData("reserved-bits", "Reserved bits are set but no extension was negotiated")]
    [InlineData("long-control", "Control frame payload is over 125 bytes")]
    [InlineData("fragmented-control", "Control frames must not be fragmented")]
    [InlineData("orphan-continuation", "Continuation frame without a message to continue")]
    [InlineData("interleaved-message", "New data frame before the previous message was finished")]
    [InlineData("bad-close-code", "Close code 1005 is not a valid code to receive")]
    public async Task A_protocol_violation_closes_with_1002_and_a_reason(string violation, string reason)
    {
        await using var client = await UpgradedClientAsync();
        var hello = Encoding.UTF8.GetBytes("hello");
        switch (violation)
        {
            case "unmasked": await client.SendFrameAsync(0x1, hello, mask: false); break;
            case "reserved-opcode": await client.SendFrameAsync(0x3, hello); break;
            case "reserved-bits": await client.SendFrameAsync(0x1, hello, reservedBits: 0b100); break;
            case "long-control": await client.SendFrameAsync(0x9, new byte[126]); break;
            case "fragmented-control": await client.SendFrameAsync(0x9, hello, fin: false); break;
            case "orphan-continuation": await client.SendFrameAsync(0x0, hello); break;
            case "interleaved-message":
                await client.SendFrameAsync(0x1, hello, fin: false);
                await client.SendFrameAsync(0x1, hello);
                break;
            case "bad-close-code": await client.SendFrameAsync(0x8, [0x03, 0xED]); break;
        }

        Assert.Equal((1002, reason), await client.ReadCloseAsync());
        Assert.True(await client.ServerClosedConnectionAsync());
    }

    [Fact]
    public async Task Invalid_UTF8_in_a_text_message_closes_with_1007()
    {
        await using var client = await UpgradedClientAsync();
        await client.SendFrameAsync(0x1, [0x68, 0x69, 0xC3, 0x28]);

        Assert.Equal((1007, "Text message is not valid UTF-8"), await client.ReadCloseAsync());
    }

    [Fact]
    public async Task A_message_over_the_limit_closes_with_1009_naming_both_sizes()
    {
        await using var client = await UpgradedClientAsync();
        await client.SendFrameAsync(0x2, new byte[Limit + 1]);

        Assert.Equal((1009, $"Message of {Limit + 1} bytes exceeds the limit of {Limit} bytes"), await client.ReadCloseAsync());
    }

    [Fact]
    public async Task A_fragmented_message_over_the_limit_closes_with_1009()
    {
        await using var client = await UpgradedClientAsync();
        await client.SendFrameAsync(0x1, new byte[600], fin: false);
        await client.SendFrameAsync(0x0, new byte[600], fin: false);

        Assert.Equal((1009, $"Message of at least 1200 bytes exceeds the limit of {Limit} bytes"), await client.ReadCloseAsync());
    }

    [Fact]
    public async Task A_message_at_the_limit_is_accepted()
    {
        await using var client = await UpgradedClientAsync();
        await client.SendFrameAsync(0x2, new byte[Limit]);

        var (opcode, payload) = await client.ReadFrameAsync();
        Assert.Equal(0x1, opcode);
        Assert.StartsWith("[Durable Object] message: [object ArrayBuffer], from: ", Encoding.UTF8.GetString(payload));
    }

    [Fact]
    public async Task A_fragmented_text_message_is_reassembled()
    {
        await using var client = await UpgradedClientAsync();
        await client.SendFrameAsync(0x1, Encoding.UTF8.GetBytes("frag"), fin: false);
        await client.SendFrameAsync(0x9, Encoding.UTF8.GetBytes("between"));
        await client.SendFrameAsync(0x0, Encoding.UTF8.GetBytes("mented"));

        var (pongOpcode, pongPayload) = await client.ReadFrameAsync();
        Assert.Equal((0xA, "between"), (pongOpcode, Encoding.UTF8.GetString(pongPayload)));
        var (_, echo) = await client.ReadFrameAsync();
        var text = Encoding.UTF8.GetString(echo);
        Assert.Equal(Line("fragmented", SessionIdOf(text), Sender, 1), text);
    }

    [Fact]
    public async Task A_protocol_ping_is_answered_with_a_pong_without_reaching_the_room()
    {
        await using var client = await UpgradedClientAsync();
        var framesIn = Node.Node.TransportCounters.FramesIn;

        await client.SendFrameAsync(0x9, Encoding.UTF8.GetBytes("are you there"));

        var (opcode, payload) = await client.ReadFrameAsync();
        Assert.Equal(0xA, opcode);
        Assert.Equal("are you there", Encoding.UTF8.GetString(payload));
        Assert.Equal(framesIn, Node.Node.TransportCounters.FramesIn);
    }

    [Fact]
    public async Task A_client_closed_for_a_violation_is_removed_from_its_room()
    {
        await using var bad = await UpgradedClientAsync();
        var good = await Connect();
        await IdentifyAsync(good);

        await bad.SendFrameAsync(0x1, [0xFF]);
        Assert.Equal(1007, (await bad.ReadCloseAsync()).Code);

        await Eventually.TrueAsync(() => Node.Node.Registry.Count == 1, "the bad socket released by its room");
        await good.SendAsync("count");
        var echo = await good.ReceiveAsync();
        Assert.Equal(Line("count", SessionIdOf(echo), Sender, 1), echo);
    }
}

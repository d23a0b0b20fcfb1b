using System.Net.WebSockets;
using System.Text;
using AkkaHibernation.Tests.Support;
using Xunit;
using Xunit.Abstractions;
using static AkkaHibernation.Tests.Support.Seed;

namespace AkkaHibernation.Tests.EndToEnd;

/// <summary>permessage-deflate (RFC 7692) end to end: .NET's own client, and raw frames that test each rule on the wire.</summary>
public sealed class CompressionSpecs(ITestOutputHelper output)
    : NodeSpec(output, "10s", $"akka-hibernation.transport.max-message-bytes = {Limit}")
{
    private const int Limit = 64 * 1024;
    private const string Offer = "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n";
    private const string Answer = "permessage-deflate; server_no_context_takeover; client_no_context_takeover";

    private static readonly string Long = string.Concat(Enumerable.Repeat("a chat line that repeats itself, ", 60)); // ~2 KiB

    private Task<TestClient> ConnectDeflating() => Connect("/websocket", options =>
    {
        options.DangerousDeflateOptions = new WebSocketDeflateOptions();
        options.CollectHttpResponseDetails = true;
    });

    private async Task<RawClient> RawDeflatingAsync()
    {
        var client = await RawClient.ConnectAsync(Node.Port);
        var response = await client.UpgradeAsync(Node.Port, "/websocket", Offer);
        Assert.Contains($"Sec-WebSocket-Extensions: {Answer}\r\n", response);
        return client;
    }

    /// <summary>The next data frame's text, inflated when the server compressed it; and whether it did.</summary>
    private static async Task<(string Text, bool Compressed)> ReadTextAsync(RawClient client)
    {
        var (opcode, payload, rsv1) = await client.ReadFrameWithRsv1Async();
        Assert.Equal(0x1, opcode);
        return (Encoding.UTF8.GetString(rsv1 ? ClientDeflate.Decompress(payload) : payload), rsv1);
    }

    [Fact]
    public async Task A_deflating_ClientWebSocket_gets_the_seeds_frames_byte_for_byte_and_large_ones_compressed()
    {
        var a = await ConnectDeflating();
        var b = await ConnectDeflating();
        Assert.Equal([Answer], a.ResponseHeaders!["Sec-WebSocket-Extensions"]);
        var (idA, idB) = await IdentifyBothAsync(a, b);
        Assert.Equal(0, Node.Node.TransportCounters.FramesCompressed); // the seed's short lines stay under the threshold

        await a.SendAsync(Long);
        await ExpectBroadcastAsync(Long, a, idA, b, 2);
        Assert.Equal(4, Node.Node.TransportCounters.FramesCompressed);

        await b.SendAsync("é ✓ 🎉");
        await ExpectBroadcastAsync("é ✓ 🎉", b, idB, a, 2);
    }

    [Fact]
    public async Task A_broadcast_is_compressed_once_and_the_same_bytes_reach_every_socket()
    {
        await using var a = await RawDeflatingAsync();
        await using var b = await RawDeflatingAsync();
        await a.SendFrameAsync(0x1, ClientDeflate.Compress(Encoding.UTF8.GetBytes(Long)), reservedBits: 0b100);

        var (echo, echoCompressed) = await ReadTextAsync(a);
        var id = SessionIdOf(echo);
        Assert.Equal((Line(Long, id, Sender, 2), true), (echo, echoCompressed));
        var (_, toAllFromA, _) = await a.ReadFrameWithRsv1Async();
        var (_, toAllFromB, _) = await b.ReadFrameWithRsv1Async();
        Assert.Equal(toAllFromA, toAllFromB);
        Assert.Equal(Line(Long, id, All, 2), Encoding.UTF8.GetString(ClientDeflate.Decompress(toAllFromB)));
        Assert.Equal((Line(Long, id, Others, 2), true), await ReadTextAsync(b));
    }

    [Fact]
    public async Task Small_compressed_messages_are_answered_uncompressed_and_ping_still_gets_pong()
    {
        await using var client = await RawDeflatingAsync();
        await client.SendFrameAsync(0x1, ClientDeflate.Compress("ping"u8.ToArray()), reservedBits: 0b100);
        Assert.Equal(("pong", false), await ReadTextAsync(client));

        await client.SendFrameAsync(0x1, ClientDeflate.Compress("hi"u8.ToArray()), reservedBits: 0b100);
        var (echo, compressed) = await ReadTextAsync(client);
        Assert.Equal((Line("hi", SessionIdOf(echo), Sender, 1), false), (echo, compressed));
    }

    [Fact]
    public async Task A_fragmented_compressed_message_is_inflated_whole()
    {
        await using var client = await RawDeflatingAsync();
        var compressed = ClientDeflate.Compress(Encoding.UTF8.GetBytes(Long));
        var half = compressed.Length / 2;
        await client.SendFrameAsync(0x1, compressed[..half], fin: false, reservedBits: 0b100);
        await client.SendFrameAsync(0x0, compressed[half..]);

        var (echo, _) = await ReadTextAsync(client);
        Assert.Equal(Line(Long, SessionIdOf(echo), Sender, 1), echo);
    }

    [Fact]
    public async Task A_compressed_message_just_under_the_limit_is_delivered()
    {
        await using var client = await RawDeflatingAsync();
        var message = new string('z', Limit);
        await client.SendFrameAsync(0x1, ClientDeflate.Compress(Encoding.UTF8.GetBytes(message)), reservedBits: 0b100);

        var (echo, _) = await ReadTextAsync(client);
        Assert.Equal(Line(message, SessionIdOf(echo), Sender, 1), echo);
    }

    [Theory]
    [InlineData("zip-bomb", 1009, "Compressed message inflates to at least 65537 bytes, over the limit of 65536 bytes")]
    [InlineData("corrupt", 1007, "Compressed message is not valid deflate data")]
    [InlineData("invalid-utf8", 1007, "Text message is not valid UTF-8")]
    [InlineData("rsv1-on-control", 1002, "Control frames are never compressed, but RSV1 is set")]
    [InlineData("rsv1-on-continuation", 1002, "RSV1 is set on a continuation frame; only a message's first frame marks it compressed")]
    [InlineData("rsv2", 1002, "Reserved bits are set but no extension was negotiated")]
    public async Task A_compression_violation_closes_with_its_code_and_a_reason(string violation, int code, string reason)
    {
        await using var client = await RawDeflatingAsync();
        switch (violation)
        {
            case "zip-bomb": // 16 MiB of one letter, about 16 KiB compressed
                await client.SendFrameAsync(0x1, ClientDeflate.Compress(Encoding.ASCII.GetBytes(new string('a', 16 << 20))), reservedBits: 0b100);
                break;
            case "corrupt": await client.SendFrameAsync(0x1, [0xFF, 0xFF, 0xFF, 0xFF, 0x00], reservedBits: 0b100); break;
            case "invalid-utf8": await client.SendFrameAsync(0x1, ClientDeflate.Compress([0x68, 0xC3, 0x28]), reservedBits: 0b100); break;
            case "rsv1-on-control": await client.SendFrameAsync(0x9, "x"u8.ToArray(), reservedBits: 0b100); break;
            case "rsv1-on-continuation":
                await client.SendFrameAsync(0x1, "a"u8.ToArray(), fin: false);
                await client.SendFrameAsync(0x0, "b"u8.ToArray(), reservedBits: 0b100);
                break;
            case "rsv2": await client.SendFrameAsync(0x1, "a"u8.ToArray(), reservedBits: 0b010); break;
        }

        Assert.Equal((code, reason), await client.ReadCloseAsync());
        Assert.True(await client.ServerClosedConnectionAsync());
    }

    [Fact]
    public async Task With_compression_turned_off_no_extension_is_answered_and_RSV1_is_a_protocol_error()
    {
        using var database = new TestDatabase();
        await using var node = await TestNode.StartAsync(database, Output, "10s", "akka-hibernation.transport.compression.enabled = off");
        await using var client = await RawClient.ConnectAsync(node.Port);
        var response = await client.UpgradeAsync(node.Port, "/websocket", Offer);
        Assert.DoesNotContain("Sec-WebSocket-Extensions", response);

        await client.SendFrameAsync(0x1, ClientDeflate.Compress("hi"u8.ToArray()), reservedBits: 0b100);
        Assert.Equal((1002, "Reserved bits are set but no extension was negotiated"), await client.ReadCloseAsync());
    }
}

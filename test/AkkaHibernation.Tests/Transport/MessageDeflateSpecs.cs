using System.IO.Compression;
using System.Text;
using AkkaHibernation.Transport.Compression;
using Xunit;

namespace AkkaHibernation.Tests.Transport;

/// <summary>One message's deflate and inflate (RFC 7692 §7.2), and the limits inflating keeps.</summary>
public sealed class MessageDeflateSpecs
{
    private static readonly byte[] Chat = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("[Durable Object] message: hello, from: someone. ", 60)));

    [Fact]
    public void A_deflated_message_inflates_to_itself_and_lacks_the_sync_flush_tail()
    {
        var deflated = MessageDeflate.Deflate(Chat, CompressionLevel.Fastest)!;

        Assert.True(deflated.Length < Chat.Length / 4, $"{Chat.Length} bytes deflated to {deflated.Length}");
        Assert.False(deflated.AsSpan()[^4..].SequenceEqual(new byte[] { 0, 0, 0xFF, 0xFF }));
        using var inflated = MessageDeflate.Inflate(deflated, Chat.Length);
        Assert.Equal(Chat, inflated.Span.ToArray());
    }

    [Fact]
    public void A_message_deflate_does_not_shrink_is_not_compressed()
    {
        var random = new byte[2048];
        new Random(7).NextBytes(random);
        Assert.Null(MessageDeflate.Deflate(random, CompressionLevel.Fastest));
    }

    [Fact]
    public void A_broadcast_frame_is_deflated_once_for_every_socket()
    {
        var frame = Chat.ToArray();
        var first = MessageDeflate.DeflateOnce(frame, CompressionLevel.Fastest);
        var second = MessageDeflate.DeflateOnce(frame, CompressionLevel.Fastest);
        var otherFrame = MessageDeflate.DeflateOnce(Chat.ToArray(), CompressionLevel.Fastest);

        Assert.NotNull(first);
        Assert.Same(first, second);
        Assert.NotSame(first, otherFrame);
        Assert.Equal(first, otherFrame);
    }

    [Fact]
    public void A_message_that_inflates_past_the_limit_stops_at_the_limit_without_allocating_more()
    {
        const int limit = 1024 * 1024;
        var bomb = MessageDeflate.Deflate(new byte[64 * limit], CompressionLevel.SmallestSize)!; // 64 MiB of zeros
        Assert.True(bomb.Length < 128 * 1024, $"the bomb is {bomb.Length} bytes");

        Assert.Throws<InflatedTooLargeException>(() => MessageDeflate.Inflate(bomb, limit)); // warm up the pool and the JIT
        var before = GC.GetAllocatedBytesForCurrentThread();
        var tooLarge = Assert.Throws<InflatedTooLargeException>(() => MessageDeflate.Inflate(bomb, limit));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(limit + 1, tooLarge.AtLeast);
        Assert.True(allocated < 3L * limit, $"inflating allocated {allocated} bytes for a limit of {limit}");
    }

    [Fact]
    public void A_message_exactly_at_the_limit_inflates()
    {
        var message = new byte[4096];
        using var inflated = MessageDeflate.Inflate(MessageDeflate.Deflate(message, CompressionLevel.Fastest)!, message.Length);
        Assert.Equal(message.Length, inflated.Length);
    }

    [Fact]
    public void Corrupt_deflate_data_is_invalid_data() =>
        Assert.Throws<InvalidDataException>(() => MessageDeflate.Inflate([0xFF, 0xFF, 0xFF, 0xFF, 0x00], 1024).Dispose());
}

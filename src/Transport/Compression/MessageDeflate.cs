using System.Buffers;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AkkaHibernation.Transport.Compression;

/// <summary>
/// Compresses and decompresses one message's payload with permessage-deflate (RFC 7692 §7.2), without context
/// takeover: every message starts from an empty window, so nothing is kept per socket between messages.
/// System.IO.Compression's <see cref="DeflateStream"/> cannot be reset, so each message gets a fresh zlib state that is
/// freed when the message is done (a pooled, reused one would also let a client's back-references read another
/// client's earlier message out of the shared window).
/// </summary>
internal static class MessageDeflate
{
    /// <summary>What a sync flush ends with; RFC 7692 §7.2.1 strips it from the payload and §7.2.2 appends it back.</summary>
    private static ReadOnlySpan<byte> SyncFlushTail => [0x00, 0x00, 0xFF, 0xFF];

    /// <summary>Compressed payloads of frames already deflated once, keyed by their payload array (a broadcast shares one).</summary>
    private static readonly ConditionalWeakTable<byte[], Lazy<byte[]?>> Deflated = new();

    /// <summary>
    /// The compressed form of a frame's payload, computed once for every socket that sends the same frame (a broadcast
    /// hands every socket the same array); null when deflating does not make it smaller.
    /// </summary>
    public static byte[]? DeflateOnce(ReadOnlyMemory<byte> payload, CompressionLevel level)
    {
        if (!MemoryMarshal.TryGetArray(payload, out var segment) || segment.Offset != 0 || segment.Count != segment.Array!.Length)
            return Deflate(payload.Span, level);
        return Deflated.GetValue(segment.Array, array => new Lazy<byte[]?>(() => Deflate(array, level))).Value;
    }

    /// <summary>The payload of a compressed message for <paramref name="message"/>; null when it would not be smaller.</summary>
    public static byte[]? Deflate(ReadOnlySpan<byte> message, CompressionLevel level)
    {
        using var output = new MemoryStream(message.Length / 2 + 16);
        using (var deflate = new DeflateStream(output, level, leaveOpen: true))
        {
            deflate.Write(message);
            deflate.Flush(); // Z_SYNC_FLUSH: the data so far, then an empty stored block (00 00 FF FF)
            var length = (int)output.Length - SyncFlushTail.Length;
            if (length >= message.Length)
                return null;
            if (!output.GetBuffer().AsSpan(length, SyncFlushTail.Length).SequenceEqual(SyncFlushTail))
                throw new InvalidOperationException("Deflate's sync flush did not end with 00 00 FF FF");
            return output.GetBuffer().AsSpan(0, length).ToArray();
        } // disposing writes the final block after what was taken
    }

    /// <summary>
    /// Decompresses a message's payload. Inflating stops as soon as the output passes <paramref name="limit"/>, and the
    /// output buffer never grows past <paramref name="limit"/> + 1 bytes, so a small message that would inflate to
    /// gigabytes allocates no more than the limit.
    /// </summary>
    /// <exception cref="InflatedTooLargeException">The message inflates past <paramref name="limit"/> bytes.</exception>
    /// <exception cref="InvalidDataException">The payload is not valid deflate data.</exception>
    public static InflatedMessage Inflate(ReadOnlySpan<byte> payload, int limit)
    {
        var input = ArrayPool<byte>.Shared.Rent(payload.Length + SyncFlushTail.Length);
        var output = new InflatedMessage(Math.Min(Math.Max(payload.Length * 4, MinOutputBytes), limit + 1));
        try
        {
            payload.CopyTo(input);
            SyncFlushTail.CopyTo(input.AsSpan(payload.Length));
            using var inflate = new DeflateStream(new MemoryStream(input, 0, payload.Length + SyncFlushTail.Length), CompressionMode.Decompress);
            while (true)
            {
                if (output.IsFull)
                {
                    if (output.Length > limit)
                        throw new InflatedTooLargeException(output.Length);
                    output.Grow(limit + 1);
                }
                if (!output.ReadFrom(inflate))
                    return output;
            }
        }
        catch
        {
            output.Dispose();
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(input);
        }
    }

    private const int MinOutputBytes = 256;
}

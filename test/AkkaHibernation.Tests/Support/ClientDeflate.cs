using System.IO.Compression;

namespace AkkaHibernation.Tests.Support;

/// <summary>
/// A test client's side of permessage-deflate (RFC 7692 §7.2), written with System.IO.Compression directly rather
/// than with the server's code: compress a message as a client would, and inflate what the server sent.
/// </summary>
public static class ClientDeflate
{
    private static readonly byte[] Tail = [0x00, 0x00, 0xFF, 0xFF];

    /// <summary>Deflates <paramref name="message"/> and drops the sync flush's 00 00 FF FF (§7.2.1).</summary>
    public static byte[] Compress(byte[] message)
    {
        using var output = new MemoryStream();
        using var deflate = new DeflateStream(output, CompressionLevel.Optimal, leaveOpen: true);
        deflate.Write(message);
        deflate.Flush();
        var bytes = output.ToArray();
        if (!bytes.AsSpan()[^4..].SequenceEqual(Tail))
            throw new InvalidOperationException("A sync flush ends with 00 00 FF FF");
        return bytes[..^4];
    }

    /// <summary>Appends 00 00 FF FF and inflates (§7.2.2).</summary>
    public static byte[] Decompress(byte[] payload)
    {
        using var inflate = new DeflateStream(new MemoryStream([.. payload, .. Tail]), CompressionMode.Decompress);
        using var output = new MemoryStream();
        inflate.CopyTo(output);
        return output.ToArray();
    }
}

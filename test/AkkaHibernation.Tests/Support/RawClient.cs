using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace AkkaHibernation.Tests.Support;

/// <summary>
/// A WebSocket client written against the raw TCP stream, for what <see cref="System.Net.WebSockets.ClientWebSocket"/>
/// refuses to send: a close without status, bad handshakes, unmasked or reserved frames, invalid UTF-8.
/// </summary>
public sealed class RawClient : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;

    private RawClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    /// <summary>
    /// Connects to the server on 127.0.0.1, optionally from another loopback source address (127.0.0.x), optionally with
    /// a small receive buffer (set before connecting, so the TCP window stays small: a client that reads slowly).
    /// </summary>
    public static async Task<RawClient> ConnectAsync(int port, string? sourceAddress = null, int? receiveBufferBytes = null)
    {
        var tcp = sourceAddress is null
            ? new TcpClient { NoDelay = true }
            : new TcpClient(new System.Net.IPEndPoint(System.Net.IPAddress.Parse(sourceAddress), 0)) { NoDelay = true };
        if (receiveBufferBytes is { } bytes)
            tcp.ReceiveBufferSize = bytes;
        await tcp.ConnectAsync("127.0.0.1", port);
        return new RawClient(tcp);
    }

    public static string Handshake(int port, string path = "/websocket", string? extraHeaders = null) =>
        HandshakeWith(port, path, extraHeaders);

    private static string HandshakeWith(int port, string path, string? extraHeaders) =>
        $"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
        $"Sec-WebSocket-Key: {Convert.ToBase64String(RandomNumberGenerator.GetBytes(16))}\r\nSec-WebSocket-Version: 13\r\n" +
        (extraHeaders ?? "") + "\r\n";

    /// <summary>
    /// Sends raw bytes of an HTTP request and returns the response head and body as text: the body Content-Length
    /// announces, or with <paramref name="readToEnd"/> everything until the server closes the connection (for a
    /// response that must not carry the body its Content-Length describes, as to HEAD).
    /// </summary>
    public async Task<string> RequestAsync(string request, bool readToEnd = false)
    {
        await _stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        return readToEnd ? await ReadToEndAsync() : await ReadResponseAsync();
    }

    /// <summary>Completes a valid upgrade (with <paramref name="extraHeaders"/>); throws unless the server answers 101, else returns the 101.</summary>
    public async Task<string> UpgradeAsync(int port, string path = "/websocket", string? extraHeaders = null)
    {
        var response = await RequestAsync(Handshake(port, path, extraHeaders));
        if (!response.StartsWith("HTTP/1.1 101", StringComparison.Ordinal))
            throw new InvalidOperationException($"Upgrade failed: {response}");
        return response;
    }

    public async Task SendFrameAsync(int opcode, byte[] payload, bool fin = true, bool mask = true, int reservedBits = 0)
    {
        var header = new List<byte> { (byte)((fin ? 0x80 : 0) | (reservedBits << 4) | opcode) };
        var maskBit = mask ? 0x80 : 0;
        if (payload.Length < 126)
        {
            header.Add((byte)(maskBit | payload.Length));
        }
        else if (payload.Length <= ushort.MaxValue)
        {
            header.Add((byte)(maskBit | 126));
            header.Add((byte)(payload.Length >> 8));
            header.Add((byte)payload.Length);
        }
        else
        {
            header.Add((byte)(maskBit | 127));
            var length = new byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(length, (ulong)payload.Length);
            header.AddRange(length);
        }

        var body = (byte[])payload.Clone();
        if (mask)
        {
            var key = RandomNumberGenerator.GetBytes(4);
            header.AddRange(key);
            for (var i = 0; i < body.Length; i++)
                body[i] ^= key[i % 4];
        }
        await _stream.WriteAsync(header.ToArray());
        await _stream.WriteAsync(body);
    }

    public Task SendTextAsync(string text) => SendFrameAsync(0x1, Encoding.UTF8.GetBytes(text));

    /// <summary>Reads one frame from the server (which never masks).</summary>
    public async Task<(int Opcode, byte[] Payload)> ReadFrameAsync(TimeSpan? timeout = null)
    {
        var (opcode, payload, _) = await ReadFrameWithRsv1Async(timeout);
        return (opcode, payload);
    }

    /// <summary>Reads one frame from the server, with its RSV1 bit (set on a permessage-deflate compressed message).</summary>
    public async Task<(int Opcode, byte[] Payload, bool Rsv1)> ReadFrameWithRsv1Async(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TestClient.DefaultTimeout);
        var head = await ReadExactlyAsync(2, cts.Token);
        var opcode = head[0] & 0x0F;
        var rsv1 = (head[0] & 0x40) != 0;
        long length = head[1] & 0x7F;
        if (length == 126)
            length = BinaryPrimitives.ReadUInt16BigEndian(await ReadExactlyAsync(2, cts.Token));
        else if (length == 127)
            length = (long)BinaryPrimitives.ReadUInt64BigEndian(await ReadExactlyAsync(8, cts.Token));
        return (opcode, await ReadExactlyAsync((int)length, cts.Token), rsv1);
    }

    /// <summary>Reads frames until a close frame; returns its code (null when it has none) and reason.</summary>
    public async Task<(int? Code, string Reason)> ReadCloseAsync(TimeSpan? timeout = null)
    {
        while (true)
        {
            var (opcode, payload) = await ReadFrameAsync(timeout);
            if (opcode != 0x8)
                continue;
            return payload.Length < 2
                ? (null, "")
                : (BinaryPrimitives.ReadUInt16BigEndian(payload), Encoding.UTF8.GetString(payload, 2, payload.Length - 2));
        }
    }

    /// <summary>True once the server has closed the TCP connection (a read returns 0 bytes or fails).</summary>
    public async Task<bool> ServerClosedConnectionAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TestClient.DefaultTimeout);
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                if (await _stream.ReadAsync(buffer, cts.Token) == 0)
                    return true;
            }
        }
        catch (IOException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<string> ReadResponseAsync()
    {
        using var cts = new CancellationTokenSource(TestClient.DefaultTimeout);
        var head = new StringBuilder();
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
            head.Append((char)(await ReadExactlyAsync(1, cts.Token))[0]);
        var text = head.ToString();
        var lengthLine = text.Split("\r\n").FirstOrDefault(line => line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        if (lengthLine is null || text.StartsWith("HTTP/1.1 101", StringComparison.Ordinal))
            return text;
        var length = int.Parse(lengthLine["Content-Length:".Length..].Trim());
        return text + Encoding.UTF8.GetString(await ReadExactlyAsync(length, cts.Token));
    }

    private async Task<string> ReadToEndAsync()
    {
        using var cts = new CancellationTokenSource(TestClient.DefaultTimeout);
        using var received = new MemoryStream();
        await _stream.CopyToAsync(received, cts.Token);
        return Encoding.UTF8.GetString(received.ToArray());
    }

    private async Task<byte[]> ReadExactlyAsync(int count, CancellationToken cancellationToken)
    {
        var buffer = new byte[count];
        await _stream.ReadExactlyAsync(buffer, cancellationToken);
        return buffer;
    }
}

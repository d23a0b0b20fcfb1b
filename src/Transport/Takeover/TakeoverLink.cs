using System.Net.Sockets;
using System.Text.Json;

namespace AkkaHibernation.Transport.Takeover;

/// <summary>
/// One end of a takeover's control connection: a <see cref="SocketType.Seqpacket"/> Unix domain socket, so each
/// datagram arrives whole and alone. A message is JSON (<see cref="TakeoverMessage"/>) in one or more datagrams of at
/// most <see cref="DatagramBytes"/>, each led by a byte that says whether more follow; descriptors ride on the first.
/// </summary>
public sealed class TakeoverLink : IDisposable
{
    /// <summary>The largest datagram sent: well under the kernel's default socket buffer (about 208 KiB).</summary>
    private const int DatagramBytes = 60 * 1024;

    private const byte Last = 0, More = 1;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// The longest control socket path, in UTF-8 bytes: a Unix socket path holds 107 (108 with its terminating zero),
    /// and <see cref="Listen"/> binds under the path plus up to 9 more (<c>.PID~</c>) before renaming it there.
    /// </summary>
    public const int MaxPathBytes = 107 - 9;

    private readonly Socket _socket;
    private readonly byte[] _receiveBuffer = new byte[DatagramBytes];

    private TakeoverLink(Socket socket) => _socket = socket;

    /// <summary>The other process's credentials, from the kernel (<c>SO_PEERCRED</c>).</summary>
    public PeerCredentials Peer => PeerCredentials.Of(_socket);

    /// <summary>
    /// Connects to the control socket at <paramref name="path"/>; null when no process listens there (no file, or a
    /// file that nothing listens on: a server that crashed).
    /// </summary>
    public static TakeoverLink? TryConnect(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Seqpacket, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(path));
            return new TakeoverLink(socket);
        }
        catch (SocketException error) when (error.SocketErrorCode is SocketError.ConnectionRefused or SocketError.AddressNotAvailable
                                                or SocketError.AccessDenied || !File.Exists(path))
        {
            socket.Dispose();
            return null;
        }
    }

    /// <summary>
    /// A control socket listening at <paramref name="path"/> with <paramref name="backlog"/>, for this user only; it
    /// replaces whatever is at the path in one step (a stale socket, or the socket of the server being taken over).
    /// </summary>
    /// <remarks>
    /// .NET deletes a Unix socket's bound file when the socket is disposed. Bound at <paramref name="path"/> itself, an
    /// old server's control socket, disposed as that server stops after a hand-over, would delete the path while it is
    /// already the new server's: the next takeover would find nothing listening. So the socket is bound under a name of
    /// its own, and that file is renamed onto the path; what .NET deletes at dispose is then the name no longer there.
    /// </remarks>
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public static Socket Listen(string path, int backlog)
    {
        var bound = $"{path}.{Environment.ProcessId}~";
        var socket = new Socket(AddressFamily.Unix, SocketType.Seqpacket, ProtocolType.Unspecified);
        try
        {
            File.Delete(bound); // left by a process of the same id that died between its bind and its rename
            socket.Bind(new UnixDomainSocketEndPoint(bound));
            File.SetUnixFileMode(bound, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            socket.Listen(backlog);
            File.Move(bound, path, overwrite: true); // rename(2): the path names the old file or this one, never none
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>A connection a control socket accepted.</summary>
    public static TakeoverLink Accepted(Socket socket) => new(socket);

    /// <summary>Sends <paramref name="message"/>.</summary>
    /// <exception cref="IOException">The other process is gone.</exception>
    public void Send(TakeoverMessage message) => Send(message, []);

    /// <summary>
    /// Receives the next message within <paramref name="timeout"/>, with the descriptors that came with it (the caller
    /// owns them).
    /// </summary>
    /// <exception cref="TimeoutException">Nothing arrived in time.</exception>
    /// <exception cref="IOException">The other process closed the connection or is gone.</exception>
    internal async Task<(TakeoverMessage Message, int[] Descriptors)> ReceiveWithDescriptorsAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        using var body = new MemoryStream();
        int[]? descriptors = null;
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !await Task.Run(() => _socket.Poll(left, SelectMode.SelectRead)))
                throw new TimeoutException($"No takeover message within {timeout.TotalSeconds:0.#} s");
            var (length, received) = DescriptorPassing.Receive(_socket, _receiveBuffer);
            descriptors ??= received;
            if (length == 0)
                throw new IOException("The other process closed the takeover connection");
            body.Write(_receiveBuffer, 1, length - 1);
            if (_receiveBuffer[0] == Last)
                break;
        }
        var message = JsonSerializer.Deserialize<TakeoverMessage>(body.GetBuffer().AsSpan(0, (int)body.Length), Json)
                      ?? throw new IOException("An empty takeover message arrived");
        return (message, descriptors);
    }

    /// <summary>Receives the next message within <paramref name="timeout"/>; descriptors are not expected and are closed.</summary>
    public async Task<TakeoverMessage> ReceiveAsync(TimeSpan timeout)
    {
        var (message, descriptors) = await ReceiveWithDescriptorsAsync(timeout);
        foreach (var descriptor in descriptors)
            DescriptorPassing.Close(descriptor);
        return message;
    }

    /// <summary>Sends <paramref name="message"/> with <paramref name="descriptors"/> (at most <see cref="DescriptorPassing.MaxPerMessage"/>).</summary>
    internal void Send(TakeoverMessage message, ReadOnlySpan<int> descriptors)
    {
        // JSON is never empty, so every message has a first datagram for the descriptors to ride on.
        var body = JsonSerializer.SerializeToUtf8Bytes(message, Json);
        var datagram = new byte[Math.Min(body.Length, DatagramBytes - 1) + 1];
        for (var offset = 0; offset < body.Length;)
        {
            var length = Math.Min(body.Length - offset, DatagramBytes - 1);
            datagram[0] = offset + length < body.Length ? More : Last;
            body.AsSpan(offset, length).CopyTo(datagram.AsSpan(1));
            DescriptorPassing.Send(_socket, datagram.AsSpan(0, length + 1), offset == 0 ? descriptors : []);
            offset += length;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _socket.Dispose();
}

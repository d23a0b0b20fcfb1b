using System.Buffers;
using System.Net.Sockets;

namespace AkkaHibernation.Transport.Sockets;

/// <summary>
/// Buffered reads from a socket that hold no buffer while the connection is idle: when nothing is buffered it
/// waits with a zero-byte receive and only then rents a buffer, so thousands of quiet sockets cost no buffers.
/// </summary>
internal sealed class SocketReader(Socket socket, int bufferSize) : IDisposable
{
    private byte[]? _buffer;
    private int _start;
    private int _end;

    /// <summary>Fills <paramref name="destination"/> completely; throws <see cref="EndOfStreamException"/> if the peer ends the stream.</summary>
    public async ValueTask ReadExactlyAsync(Memory<byte> destination)
    {
        while (destination.Length > 0)
        {
            if (_start == _end)
                await FillAsync();
            var available = Math.Min(_end - _start, destination.Length);
            _buffer.AsMemory(_start, available).CopyTo(destination);
            _start += available;
            destination = destination[available..];
        }
        if (_start == _end)
            ReleaseBuffer();
    }

    public void Dispose() => ReleaseBuffer();

    private async ValueTask FillAsync()
    {
        if (_buffer is null)
        {
            await socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None);
            _buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
        }
        _start = 0;
        _end = await socket.ReceiveAsync(_buffer.AsMemory(), SocketFlags.None);
        if (_end == 0)
            throw new EndOfStreamException("The peer closed the TCP connection");
    }

    private void ReleaseBuffer()
    {
        if (_buffer is null)
            return;
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = null;
        _start = _end = 0;
    }
}

using System.Buffers;
using System.Net.Sockets;

namespace AkkaHibernation.Transport.Sockets;

/// <summary>
/// Buffered reads from a socket that hold no buffer while the connection is idle: when nothing is buffered it
/// waits with a zero-byte receive and only then rents a buffer, so thousands of quiet sockets cost no buffers.
/// A read given a <see cref="FreezeGate"/> (the start of a frame) may park: in that wait when nothing is buffered, or
/// at once when bytes of later frames are (a client that keeps sending); those bytes, read but not yet parsed, are then
/// <see cref="Buffered"/>, and go with the socket to the process that takes it over (<see cref="Preload"/>).
/// </summary>
internal sealed class SocketReader(Socket socket, int bufferSize) : IDisposable
{
    private byte[]? _buffer;
    private int _start;
    private int _end;
    // A wait for bytes returned and no receive has taken them yet: the next fill receives at once.
    private bool _readable;

    /// <summary>
    /// Returns once there are bytes to read (or the stream has ended), waiting at <paramref name="gate"/> as a read
    /// would; throws <see cref="SocketHandedOverException"/> if the socket was handed over meanwhile. A caller that
    /// waits here between frames holds only this wait while the connection is idle, not the whole chain of reads
    /// under it (each pending async method keeps its state on the heap: about 500 bytes per idle socket).
    /// </summary>
    public ValueTask WaitForDataAsync(FreezeGate? gate) => _start < _end || _readable ? ValueTask.CompletedTask : WaitForBytesAsync(gate);

    /// <summary>
    /// Fills <paramref name="destination"/> completely; throws <see cref="EndOfStreamException"/> if the peer ends the
    /// stream, and <see cref="SocketHandedOverException"/> if the socket was handed over while parked at the
    /// <paramref name="gate"/>.
    /// </summary>
    public async ValueTask ReadExactlyAsync(Memory<byte> destination, FreezeGate? gate = null)
    {
        if (gate is not null && _start < _end && gate.IsAsked && !await gate.ParkIfAskedAsync())
            throw new SocketHandedOverException();
        while (destination.Length > 0)
        {
            if (_start == _end)
                await FillAsync(gate);
            var available = Math.Min(_end - _start, destination.Length);
            _buffer.AsMemory(_start, available).CopyTo(destination);
            _start += available;
            destination = destination[available..];
        }
        if (_start == _end)
            ReleaseBuffer();
    }

    /// <summary>Bytes read from the socket and not yet parsed (a copy).</summary>
    public byte[] Buffered => _buffer is null ? [] : _buffer.AsSpan(_start, _end - _start).ToArray();

    /// <summary>Before the first read: bytes the process this socket came from had read and not parsed.</summary>
    public void Preload(byte[] bytes)
    {
        if (bytes.Length == 0)
            return;
        ReleaseBuffer();
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(bytes.Length, bufferSize));
        bytes.CopyTo(_buffer, 0);
        (_start, _end) = (0, bytes.Length);
    }

    public void Dispose() => ReleaseBuffer();

    private async ValueTask FillAsync(FreezeGate? gate)
    {
        if (_buffer is null)
        {
            if (!_readable)
                await WaitForBytesAsync(gate);
            _readable = false;
            _buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
        }
        _start = 0;
        _end = await socket.ReceiveAsync(_buffer.AsMemory(), SocketFlags.None);
        if (_end == 0)
            throw new EndOfStreamException("The peer closed the TCP connection");
    }

    private async ValueTask WaitForBytesAsync(FreezeGate? gate)
    {
        if (gate is null)
        {
            await socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None);
            _readable = true;
            return;
        }
        while (true)
        {
            while (!gate.TryEnterWait())
            {
                if (!await gate.ParkIfAskedAsync())
                    throw new SocketHandedOverException();
            }
            Exception? failed = null;
            try
            {
                await socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None);
            }
            catch (Exception error) when (error is SocketException or ObjectDisposedException)
            {
                failed = error;
            }
            // A socket handed over meanwhile belongs to another process: whatever happened to this copy is not ours to report.
            if (!await gate.LeaveWaitAsync())
                throw new SocketHandedOverException();
            if (failed is not null)
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failed);
            // The receive that follows must not wait, or the reader would wait outside its gate: go on only with bytes
            // to read, or at the end of the stream (readable with nothing to read); a wake-up without either waits again.
            if (socket.Available > 0 || socket.Poll(0, SelectMode.SelectRead))
            {
                _readable = true;
                return;
            }
        }
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

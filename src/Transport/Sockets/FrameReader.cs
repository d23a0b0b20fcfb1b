using System.Buffers;
using AkkaHibernation.Actors.Rooms;
using AkkaHibernation.Transport.Compression;
using AkkaHibernation.Transport.Framing;
using AkkaHibernation.Transport.Takeover;

namespace AkkaHibernation.Transport.Sockets;

/// <summary>
/// Reads a client's frames off its socket (RFC 6455 §5) and hands over each control frame and each whole data message:
/// fragments reassembled, unmasked, inflated when permessage-deflate marked it compressed (RFC 7692 §6.2). Every rule a
/// frame can break throws a <see cref="ProtocolViolation"/> with its close code: 1002 for the framing rules, 1009 past
/// <c>max-message-bytes</c> (counted as received, and again as inflated, where inflating stops at the limit), 1007 for
/// invalid deflate data. A message's buffer is rented for as long as the message is being read and handed over.
/// Between frames its only state is the <see cref="Unfinished"/> message, which another process taking the socket
/// over goes on with (<see cref="Continue"/>).
/// </summary>
internal sealed class FrameReader(SocketReader socket, int maxMessageBytes, bool deflate, Heartbeat heartbeat) : IDisposable
{
    private const int MaskAt = 8;

    // A frame's extended length (up to 8 bytes) and then its masking key (4): one array, as it is kept per open socket.
    private readonly byte[] _header = new byte[MaskAt + 4];
    private byte[]? _message;
    private int _length;
    private Opcode _type;
    private bool _compressed;
    private InflatedMessage? _inflated;
    private bool _handedOver;

    private ReadOnlySpan<byte> Mask => _header.AsSpan(MaskAt);

    /// <summary>The fragments received so far of a message not yet finished, between frames; null when there is none.</summary>
    public UnfinishedMessage? Unfinished =>
        _message is null || _handedOver ? null : new UnfinishedMessage(_type, _compressed, _message.AsSpan(0, _length).ToArray());

    /// <summary>Goes on with a message another process had begun to receive on this socket.</summary>
    public void Continue(UnfinishedMessage message)
    {
        ReleaseMessage();
        (_type, _compressed) = (message.Opcode, message.Compressed);
        Grow(message.Bytes.Length);
        message.Bytes.CopyTo(_message.AsSpan());
        _length = message.Bytes.Length;
    }

    /// <summary>Returns once the next frame's first bytes can be read; see <see cref="SocketReader.WaitForDataAsync"/>.</summary>
    public ValueTask WaitForFrameAsync(FreezeGate? gate) => socket.WaitForDataAsync(gate);

    /// <summary>
    /// Reads until the next control frame or whole data message. Control frames may come between the fragments of a
    /// message (RFC 6455 §5.4): the message read so far is kept for the fragments after them. Before each frame, with
    /// nothing buffered, the read may park at <paramref name="gate"/>.
    /// </summary>
    public async ValueTask<InboundFrame> ReadAsync(FreezeGate? gate = null)
    {
        if (_handedOver)
            ReleaseMessage();
        while (true)
        {
            await socket.ReadExactlyAsync(_header.AsMemory(0, 2), gate);
            heartbeat.Heard();
            var (frame, extended) = FrameHeader.ParseStart(_header[0], _header[1], deflate);
            if (extended > 0)
            {
                await socket.ReadExactlyAsync(_header.AsMemory(0, extended));
                frame = frame.WithExtendedLength(_header.AsSpan(0, extended));
            }
            await socket.ReadExactlyAsync(_header.AsMemory(MaskAt));

            if (frame.Opcode.IsControl())
            {
                var payload = new byte[frame.PayloadLength];
                await socket.ReadExactlyAsync(payload);
                FrameHeader.Unmask(payload, Mask);
                return new InboundFrame(frame.Opcode, payload);
            }

            var continuing = frame.Opcode == Opcode.Continuation;
            if (continuing && _message is null)
                throw new ProtocolViolation(CloseCodes.ProtocolError, "Continuation frame without a message to continue");
            if (!continuing && _message is not null)
                throw new ProtocolViolation(CloseCodes.ProtocolError, "New data frame before the previous message was finished");

            var total = _length + frame.PayloadLength;
            if (total > maxMessageBytes)
            {
                var atLeast = frame.Fin && !continuing ? "" : "at least ";
                throw new ProtocolViolation(CloseCodes.MessageTooBig,
                    $"Message of {atLeast}{total} bytes exceeds the limit of {maxMessageBytes} bytes");
            }

            if (!continuing)
                (_type, _compressed) = (frame.Opcode, frame.Compressed);
            Grow((int)total);
            var chunk = _message.AsMemory(_length, (int)frame.PayloadLength);
            await socket.ReadExactlyAsync(chunk);
            FrameHeader.Unmask(chunk.Span, Mask);
            _length = (int)total;

            if (frame.Fin)
            {
                _handedOver = true;
                return new InboundFrame(_type, _compressed ? Inflate() : _message.AsMemory(0, _length));
            }
        }
    }

    public void Dispose() => ReleaseMessage();

    private ReadOnlyMemory<byte> Inflate()
    {
        try
        {
            _inflated = MessageDeflate.Inflate(_message.AsSpan(0, _length), maxMessageBytes);
            return _inflated.Memory;
        }
        catch (InflatedTooLargeException tooLarge)
        {
            throw new ProtocolViolation(CloseCodes.MessageTooBig,
                $"Compressed message inflates to at least {tooLarge.AtLeast} bytes, over the limit of {maxMessageBytes} bytes");
        }
        catch (InvalidDataException)
        {
            throw new ProtocolViolation(CloseCodes.InvalidPayload, "Compressed message is not valid deflate data");
        }
    }

    [System.Diagnostics.CodeAnalysis.MemberNotNull(nameof(_message))]
    private void Grow(int needed)
    {
        if (_message is not null && _message.Length >= needed)
            return;
        var grown = ArrayPool<byte>.Shared.Rent(Math.Max(needed, (_message?.Length ?? 0) * 2));
        if (_message is not null)
        {
            _message.AsSpan(0, _length).CopyTo(grown);
            ArrayPool<byte>.Shared.Return(_message);
        }
        _message = grown;
    }

    private void ReleaseMessage()
    {
        _inflated?.Dispose();
        _inflated = null;
        if (_message is not null)
            ArrayPool<byte>.Shared.Return(_message);
        _message = null;
        _length = 0;
        _handedOver = false;
    }
}

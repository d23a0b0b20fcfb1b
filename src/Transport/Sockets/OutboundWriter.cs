using System.Buffers;
using System.Net.Sockets;
using AkkaHibernation.Ids;
using AkkaHibernation.Transport.Compression;
using AkkaHibernation.Transport.Framing;
using Microsoft.Extensions.Logging;

namespace AkkaHibernation.Transport.Sockets;

/// <summary>
/// One socket's outbound side: a bounded queue of frames and the writer that drains it. What is queued while a send is
/// in flight leaves with the next send (up to <see cref="MaxFramesPerWrite"/> frames), so a burst costs few system
/// calls. Data frames of <see cref="CompressionSettings.ThresholdBytes"/> or more are deflated when the socket
/// negotiated permessage-deflate, once for every socket that sends the same frame. Nothing is written after a close
/// frame. An idle socket's writer is not running at all (no buffer, no batch, no pending method): it stops when the
/// queue is empty, and the next frame queued starts it again on a thread-pool thread. For a hand-over of the socket the
/// writer parks at its <see cref="Gate"/>, and what it has not written can be taken.
/// </summary>
/// <param name="capacity">Frames the queue holds; a full queue is the caller's slow-consumer signal.</param>
/// <param name="compression">The compression settings when the socket negotiated permessage-deflate, else null.</param>
/// <param name="counters">Counts frames and bytes written, and compressed frames.</param>
/// <param name="log">Logs the close frame written and a failing writer.</param>
/// <param name="connectionId">The socket, for the logs.</param>
/// <param name="room">Its room, for the logs.</param>
internal sealed class OutboundWriter(
    int capacity,
    CompressionSettings? compression,
    TransportCounters counters,
    ILogger log,
    ConnectionId connectionId,
    RoomKey room) : IThreadPoolWorkItem
{
    private const int MaxFramesPerWrite = 256;

    /// <summary>The most one send takes at once (see <see cref="SendAsync"/>).</summary>
    private const int PieceBytes = 16 * 1024;

    private byte[]? _unsent;

    // A slow consumer's queue is emptied from the producer side (DropQueued), a hand-over's by TakeUnwritten.
    private readonly OutboundQueue _queue = new(capacity);

    private Socket? _socket;

    // Made when first asked for: most sockets end without anyone waiting for their close frame.
    private TaskCompletionSource? _closeSent;
    private int _completed;

    /// <summary>Completes once the close frame is written, or the writer has stopped for good.</summary>
    public Task CloseSent
    {
        get
        {
            var closeSent = Volatile.Read(ref _closeSent);
            if (closeSent is null)
            {
                var made = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                closeSent = Interlocked.CompareExchange(ref _closeSent, made, null) ?? made;
                // Complete may have looked for it before it was there.
                if (Volatile.Read(ref _completed) == 1)
                    closeSent.TrySetResult();
            }
            return closeSent.Task;
        }
    }

    /// <summary>Queues a frame; false when the queue is full (or completed).</summary>
    public bool TryEnqueue(OutboundItem item)
    {
        if (!_queue.TryEnqueue(item, out var startWriter))
            return false;
        if (startWriter)
            Restart();
        return true;
    }

    /// <summary>Discards every queued frame: the client does not read, and memory stays bounded.</summary>
    public void DropQueued()
    {
        while (_queue.TryDequeue(out _))
        {
        }
    }

    /// <summary>No more frames: the writer stops once it has written what it took.</summary>
    public void Complete()
    {
        _queue.Complete();
        Interlocked.Exchange(ref _completed, 1);
        Volatile.Read(ref _closeSent)?.TrySetResult();
    }

    /// <summary>Stops the writer at a safe point for a hand-over of the socket: between writes, or between pieces of one.</summary>
    public FreezeGate Gate { get; } = new();

    /// <summary>
    /// What a parked writer has not written: the rest of a write it stopped in (frames already encoded) and the frames
    /// still queued, in order. The queue is empty afterwards.
    /// </summary>
    public (byte[]? Unsent, List<OutboundItem> Queued) TakeUnwritten()
    {
        var queued = new List<OutboundItem>();
        while (_queue.TryDequeue(out var item))
            queued.Add(item);
        var unsent = _unsent;
        _unsent = null;
        return (unsent, queued);
    }

    /// <summary>Before the writer starts on an adopted socket: what the process it came from had not written yet.</summary>
    public void Preload(byte[]? unsent, IEnumerable<OutboundItem> queued)
    {
        _unsent = unsent;
        foreach (var item in queued)
            _queue.TryEnqueue(item, out _);
    }

    /// <summary>
    /// Starts writing to <paramref name="socket"/>: what was queued before, then every frame queued later, until the
    /// queue is completed or the socket is handed over while parked at <see cref="Gate"/>. If writing fails for any other
    /// reason than a gone connection, the writer drops the connection: its reader then reports the socket gone.
    /// </summary>
    public void Start(Socket socket)
    {
        _socket = socket;
        _ = WriteQueuedAsync(restarted: false);
    }

    /// <summary>
    /// Starts the stopped writer on a thread-pool thread, through the pool's shared first-in-first-out queue rather than
    /// the calling thread's own (last-in-first-out for that thread): a room that sends to many sockets in one turn gets
    /// their writes started in the order it sent, the sender's own echo first.
    /// </summary>
    private void Restart() => ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);

    void IThreadPoolWorkItem.Execute() => _ = WriteQueuedAsync(restarted: true);

    /// <summary>
    /// Writes until the queue is empty, then stops. <paramref name="restarted"/>: the writer had stopped at its gate's
    /// safe point, where a hand-over may have parked it since.
    /// </summary>
    private async Task WriteQueuedAsync(bool restarted)
    {
        var socket = _socket!;
        try
        {
            if (restarted)
            {
                if (!await Gate.LeaveWaitAsync())
                    return;
            }
            else if (_unsent is { } preloaded && !await SendAsync(socket, preloaded, preloaded.Length, pausable: true))
                return;
            while (true)
            {
                var batch = TakeBatch();
                if (batch is not null)
                {
                    if (!await WriteAsync(socket, batch))
                        return;
                    continue;
                }
                // Nothing to write: stop at the safe point, unless a hand-over asks the writer to park first, or a
                // frame came in between.
                if (!Gate.TryEnterWait())
                {
                    if (!await Gate.ParkIfAskedAsync())
                        return;
                    continue;
                }
                if (_queue.TryStop())
                    return;
                if (!await Gate.LeaveWaitAsync())
                    return;
            }
        }
        catch (Exception error)
        {
            // Nothing could write to this socket any more: end it (its reader's receive fails, and it reports the socket
            // to the room) rather than let its queue fill up in silence.
            log.LogError(error, "Connection {ConnectionId} in room {Room}: writing failed; dropping the connection", connectionId, room);
            TcpSocketAccess.Drop(socket);
        }
    }

    /// <summary>Up to <see cref="MaxFramesPerWrite"/> queued frames; null when none is queued.</summary>
    private List<OutboundItem>? TakeBatch()
    {
        List<OutboundItem>? batch = null;
        while ((batch?.Count ?? 0) < MaxFramesPerWrite && _queue.TryDequeue(out var item))
            (batch ??= []).Add(item);
        return batch;
    }

    /// <summary>
    /// Writes one batch; false when the writer is done: the batch ended in a close frame, or the socket was handed over
    /// while the writer was parked in it.
    /// </summary>
    private async Task<bool> WriteAsync(Socket socket, List<OutboundItem> batch)
    {
        var closeAt = batch.FindIndex(item => item.IsClose);
        var count = closeAt < 0 ? batch.Count : closeAt + 1;
        var length = 0;
        for (var i = 0; i < count; i++)
        {
            if (compression is not null)
                batch[i] = Compressed(batch[i], compression);
            length += FrameEncoder.FrameLength(batch[i].Payload.Length);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var written = 0;
            for (var i = 0; i < count; i++)
                written += FrameEncoder.Write(buffer.AsSpan(written), batch[i].Opcode, batch[i].Payload.Span, batch[i].Compressed);
            // A write that ends in a close is never paused: a closing socket is not handed over.
            if (!await SendAsync(socket, buffer, written, pausable: closeAt < 0))
                return false;
            counters.FramesWritten(count, written);
            if (closeAt >= 0)
                log.LogInformation("Connection {ConnectionId} in room {Room} closed with {Code}", connectionId, room, batch[closeAt].CloseCode);
        }
        catch (Exception error) when (error is SocketException or ObjectDisposedException)
        {
            // The connection is gone; the reader reports it.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            if (closeAt >= 0)
                Complete();
        }
        return closeAt < 0;
    }

    /// <summary>
    /// Sends <paramref name="length"/> bytes of <paramref name="bytes"/> in pieces of at most <see cref="PieceBytes"/>,
    /// so that a client that reads slowly holds a hand-over up for one piece at most: asked to park
    /// (<paramref name="pausable"/>), the loop keeps the rest as <see cref="_unsent"/> and parks. False when the socket
    /// was handed over meanwhile.
    /// </summary>
    private async ValueTask<bool> SendAsync(Socket socket, byte[] bytes, int length, bool pausable)
    {
        _unsent = null;
        for (var sent = 0; sent < length;)
        {
            if (pausable && Gate.IsAsked)
            {
                _unsent = bytes.AsSpan(sent, length - sent).ToArray();
                return await Gate.ParkIfAskedAsync() && await SendAsync(socket, _unsent, _unsent.Length, pausable);
            }
            sent += await socket.SendAsync(bytes.AsMemory(sent, Math.Min(PieceBytes, length - sent)), SocketFlags.None);
        }
        return true;
    }

    /// <summary>
    /// A data frame at or above the compression threshold, deflated (once for every socket that sends the same frame);
    /// anything else, or a payload that deflate would not shrink, as it is. Control frames are never compressed.
    /// </summary>
    private OutboundItem Compressed(OutboundItem item, CompressionSettings settings)
    {
        if (!item.IsData || item.Compressed || item.Payload.Length < settings.ThresholdBytes)
            return item;
        if (MessageDeflate.DeflateOnce(item.Payload, settings.Level) is not { } deflated)
            return item;
        counters.FrameCompressed(item.Payload.Length, deflated.Length);
        return item with { Payload = deflated, Compressed = true };
    }
}

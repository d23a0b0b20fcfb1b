namespace AkkaHibernation.Transport.Sockets;

/// <summary>
/// One socket's bounded queue of frames to write, filled by anyone and read by its writer alone. The writer does not
/// wait on the queue while it is empty (a pending wait keeps an async method's state on the heap for as long as the
/// socket is idle): it stops, and the queue says who starts it again. A frame queued to a stopped writer returns
/// <c>startWriter</c> true, once until the writer stops again (<see cref="TryStop"/>). A new queue counts its writer as
/// running, so frames queued before the socket runs wait for the writer's first start.
/// </summary>
/// <param name="capacity">Frames it holds; <see cref="TryEnqueue"/> refuses more.</param>
internal sealed class OutboundQueue(int capacity)
{
    private readonly Queue<OutboundItem> _items = new();
    private bool _writerRunning = true;
    private bool _completed;

    /// <summary>Queues a frame; false when the queue is full or completed. <paramref name="startWriter"/>: the writer had stopped, start it.</summary>
    public bool TryEnqueue(OutboundItem item, out bool startWriter)
    {
        lock (_items)
        {
            startWriter = false;
            if (_completed || _items.Count >= capacity)
                return false;
            _items.Enqueue(item);
            startWriter = !_writerRunning;
            _writerRunning = true;
            return true;
        }
    }

    /// <summary>Takes the next frame, if any. The last one gives back the queue's buffer: an idle socket keeps none.</summary>
    public bool TryDequeue(out OutboundItem item)
    {
        lock (_items)
        {
            if (!_items.TryDequeue(out item))
                return false;
            if (_items.Count == 0)
                _items.TrimExcess();
            return true;
        }
    }

    /// <summary>
    /// The writer found nothing to take: true when the queue is still empty, and the writer is now stopped; false when a
    /// frame came meanwhile (the writer goes on).
    /// </summary>
    public bool TryStop()
    {
        lock (_items)
        {
            if (_items.Count > 0)
                return false;
            _writerRunning = false;
            return true;
        }
    }

    /// <summary>
    /// No more frames are queued. A stopped writer has nothing left to write (a frame queued to it would have started
    /// it), so it stays stopped; a running one writes what is queued and then stops.
    /// </summary>
    public void Complete()
    {
        lock (_items)
            _completed = true;
    }
}

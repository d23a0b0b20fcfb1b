namespace AkkaHibernation.Transport;

/// <summary>Thread-safe counters of what the transport did; read by tests and logs without touching any actor.</summary>
public sealed class TransportCounters
{
    private long _autoResponses;
    private long _framesIn;
    private long _slowConsumersClosed;

    /// <summary>Auto-responses the transport answered itself, without the room.</summary>
    public long AutoResponses => Interlocked.Read(ref _autoResponses);

    /// <summary>Data messages received from clients and passed to rooms.</summary>
    public long FramesIn => Interlocked.Read(ref _framesIn);

    /// <summary>Sockets closed because their outbound queue was full.</summary>
    public long SlowConsumersClosed => Interlocked.Read(ref _slowConsumersClosed);

    internal void AutoResponded() => Interlocked.Increment(ref _autoResponses);

    internal void FrameIn() => Interlocked.Increment(ref _framesIn);

    internal void SlowConsumerClosed() => Interlocked.Increment(ref _slowConsumersClosed);
}

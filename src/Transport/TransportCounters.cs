using System.Diagnostics.Metrics;

namespace AkkaHibernation.Transport;

/// <summary>
/// What the transport did, kept with Interlocked operations so tests and logs read it directly, and published
/// through <see cref="System.Diagnostics.Metrics"/> when given a <see cref="Meter"/>.
/// </summary>
public sealed class TransportCounters
{
    private long _connectionsOpen;
    private long _autoResponses;
    private long _framesIn;
    private long _framesOut;
    private long _slowConsumersClosed;
    private long _rejectedRequests;
    private long _heartbeatPings;
    private long _deadPeers;
    private long _redelivered;
    private long _bytesOut;
    private long _framesCompressed;
    private long _bytesSavedByCompression;
    private long _handedOver;
    private long _adopted;
    private long _takeoverMilliseconds = -1;
    private long _refusedMilliseconds = -1;

    /// <summary>Counters that are only read in-process.</summary>
    public TransportCounters()
    {
    }

    /// <summary>Counters that also publish their instruments on <paramref name="meter"/>.</summary>
    public TransportCounters(Meter meter)
    {
        meter.CreateObservableGauge("connections.open", () => ConnectionsOpen, "{connection}", "WebSocket connections open on this node");
        meter.CreateObservableCounter("frames.in", () => FramesIn, "{frame}", "Data messages received from clients and passed to rooms");
        meter.CreateObservableCounter("frames.out", () => FramesOut, "{frame}", "Frames written to clients");
        meter.CreateObservableCounter("autoresponses", () => AutoResponses, "{frame}", "Auto-responses answered by the transport without the room");
        meter.CreateObservableCounter("outbound.drops", () => SlowConsumersClosed, "{connection}", "Sockets dropped because their outbound queue was full");
        meter.CreateObservableCounter("requests.rejected", () => RejectedRequests, "{request}", "HTTP requests answered with a 4xx/5xx status");
        meter.CreateObservableCounter("heartbeat.pings", () => HeartbeatPings, "{frame}", "Protocol pings sent to silent sockets");
        meter.CreateObservableCounter("heartbeat.dead", () => DeadPeers, "{connection}", "Sockets dropped for not answering a heartbeat ping");
        meter.CreateObservableCounter("bytes.out", () => BytesOut, "{byte}", "Bytes of WebSocket frames written to clients, headers included");
        meter.CreateObservableCounter("frames.compressed", () => FramesCompressed, "{frame}",
            "Data frames sent compressed with permessage-deflate");
        meter.CreateObservableCounter("compression.saved_bytes", () => BytesSavedByCompression, "{byte}",
            "Payload bytes permessage-deflate kept off the wire");
        meter.CreateObservableCounter("frames.redelivered", () => Redelivered, "{frame}",
            "Cluster mode: client messages sent again because their room had not confirmed them (its node may have died)");
        meter.CreateObservableCounter("takeover.sockets_handed_over", () => SocketsHandedOver, "{connection}",
            "Sockets this process handed to a process that took it over (--takeover)");
        meter.CreateObservableCounter("takeover.sockets_adopted", () => SocketsAdopted, "{connection}",
            "Sockets this process took over from the process it replaced (--takeover)");
        meter.CreateObservableGauge("takeover.duration", () => TakeoverMilliseconds, "ms",
            "This process's takeover: from asking the old process to serving every adopted socket (-1: it did not take over)");
        meter.CreateObservableGauge("takeover.refused_window", () => RefusedWindowMilliseconds, "ms",
            "This process's takeover: how long the listen port was bound by neither process (-1: it did not take over)");
    }

    /// <summary>WebSocket connections open on this node.</summary>
    public long ConnectionsOpen => Interlocked.Read(ref _connectionsOpen);

    /// <summary>Auto-responses the transport answered itself, without the room.</summary>
    public long AutoResponses => Interlocked.Read(ref _autoResponses);

    /// <summary>Data messages received from clients and passed to rooms.</summary>
    public long FramesIn => Interlocked.Read(ref _framesIn);

    /// <summary>Frames written to clients (data, control and close frames).</summary>
    public long FramesOut => Interlocked.Read(ref _framesOut);

    /// <summary>Sockets closed because their outbound queue was full.</summary>
    public long SlowConsumersClosed => Interlocked.Read(ref _slowConsumersClosed);

    /// <summary>HTTP requests answered with a 4xx or 5xx status.</summary>
    public long RejectedRequests => Interlocked.Read(ref _rejectedRequests);

    /// <summary>Protocol pings sent to silent sockets.</summary>
    public long HeartbeatPings => Interlocked.Read(ref _heartbeatPings);

    /// <summary>Sockets dropped for not answering a heartbeat ping.</summary>
    public long DeadPeers => Interlocked.Read(ref _deadPeers);

    /// <summary>Cluster mode: client messages sent again because their room had not confirmed them in time.</summary>
    public long Redelivered => Interlocked.Read(ref _redelivered);

    /// <summary>Bytes of WebSocket frames written to clients, headers included.</summary>
    public long BytesOut => Interlocked.Read(ref _bytesOut);

    /// <summary>Data frames sent compressed with permessage-deflate.</summary>
    public long FramesCompressed => Interlocked.Read(ref _framesCompressed);

    /// <summary>Payload bytes that permessage-deflate kept off the wire (original minus compressed sizes).</summary>
    public long BytesSavedByCompression => Interlocked.Read(ref _bytesSavedByCompression);

    /// <summary>Sockets this process handed over to the process that took it over.</summary>
    public long SocketsHandedOver => Interlocked.Read(ref _handedOver);

    /// <summary>Sockets this process adopted from the process it took over from.</summary>
    public long SocketsAdopted => Interlocked.Read(ref _adopted);

    /// <summary>How long this process's takeover took, in milliseconds; -1 when it did not take over.</summary>
    public long TakeoverMilliseconds => Interlocked.Read(ref _takeoverMilliseconds);

    /// <summary>How long the listen port was bound by neither process during this process's takeover; -1 when it did not take over.</summary>
    public long RefusedWindowMilliseconds => Interlocked.Read(ref _refusedMilliseconds);

    internal void ConnectionHandedOver() => Interlocked.Increment(ref _handedOver);

    internal void ConnectionAdopted() => Interlocked.Increment(ref _adopted);

    /// <summary>Records this process's takeover: how long it took, and how long the listen prefixes were bound by neither process.</summary>
    public void TookOver(TimeSpan duration, TimeSpan refusedWindow)
    {
        Interlocked.Exchange(ref _takeoverMilliseconds, (long)duration.TotalMilliseconds);
        Interlocked.Exchange(ref _refusedMilliseconds, (long)refusedWindow.TotalMilliseconds);
    }

    internal void FrameCompressed(int originalBytes, int compressedBytes)
    {
        Interlocked.Increment(ref _framesCompressed);
        Interlocked.Add(ref _bytesSavedByCompression, originalBytes - compressedBytes);
    }

    internal void FramesRedelivered(int count) => Interlocked.Add(ref _redelivered, count);

    internal void HeartbeatPinged() => Interlocked.Increment(ref _heartbeatPings);

    internal void DeadPeerDropped() => Interlocked.Increment(ref _deadPeers);

    internal void ConnectionOpened() => Interlocked.Increment(ref _connectionsOpen);

    internal void ConnectionEnded() => Interlocked.Decrement(ref _connectionsOpen);

    internal void AutoResponded() => Interlocked.Increment(ref _autoResponses);

    internal void FrameIn() => Interlocked.Increment(ref _framesIn);

    internal void FramesWritten(int count, int bytes)
    {
        Interlocked.Add(ref _framesOut, count);
        Interlocked.Add(ref _bytesOut, bytes);
    }

    internal void SlowConsumerClosed() => Interlocked.Increment(ref _slowConsumersClosed);

    internal void RequestRejected() => Interlocked.Increment(ref _rejectedRequests);
}

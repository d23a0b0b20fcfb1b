namespace AkkaHibernation.Transport.Sockets;

/// <summary>
/// Where one socket's close handshake stands (RFC 6455 §7), changed with compare-and-swap from any thread:
/// Open → PeerClosed (the peer sent a close with a code; the room answers it) → Closing (our close frame is queued or
/// sent) → Done (the TCP connection is gone). A socket can also go from Open straight to Closing or Done.
/// </summary>
internal sealed class CloseHandshake
{
    private const int Open = 0, PeerClosed = 1, Closing = 2, Done = 3;

    private int _phase = Open;

    /// <summary>Neither side has started closing: messages from the peer are still delivered.</summary>
    public bool IsOpen => Volatile.Read(ref _phase) == Open;

    /// <summary>Frames may still be queued: the socket is open, or the peer's close awaits the room's answer.</summary>
    public bool AcceptsFrames => Volatile.Read(ref _phase) <= PeerClosed;

    /// <summary>The peer's close awaits the room's answer.</summary>
    public bool AwaitsAnswer => Volatile.Read(ref _phase) == PeerClosed;

    /// <summary>Our close frame is queued or sent, or the connection is gone.</summary>
    public bool IsClosingOrDone => Volatile.Read(ref _phase) >= Closing;

    /// <summary>The peer closed first (with a code); true if the socket was open.</summary>
    public bool TryPeerClose() => Interlocked.CompareExchange(ref _phase, PeerClosed, Open) == Open;

    /// <summary>We close (our close frame is to be queued); true for the one caller that moves the socket there.</summary>
    public bool TryBeginClosing() =>
        Interlocked.CompareExchange(ref _phase, Closing, Open) == Open
        || Interlocked.CompareExchange(ref _phase, Closing, PeerClosed) == PeerClosed;

    /// <summary>We close straight from Open (the peer's close had no code to answer); true if the socket was open.</summary>
    public bool TryCloseFromOpen() => Interlocked.CompareExchange(ref _phase, Closing, Open) == Open;

    /// <summary>The connection is gone; true if it had not been marked gone before.</summary>
    public bool MarkDone() => Interlocked.Exchange(ref _phase, Done) != Done;
}

using AkkaHibernation.Actors.Rooms;
using AkkaHibernation.Actors.Sessions;

namespace AkkaHibernation.Transport.Sockets;

/// <summary>
/// The room's auto-response pair for one socket (the Durable Objects API's <c>setWebSocketAutoResponse</c>): a text
/// message equal to the request is answered here with the response, without waking the room, and the time of the
/// last answer is kept for the room to read. Set by the room's thread, read by the socket's reader.
/// </summary>
internal sealed class AutoResponder
{
    private sealed record Armed(AutoResponsePair Pair, OutboundItem Reply);

    // The pair most recently armed on any socket (immutable, so sockets may share it; a race only makes a second one).
    private static volatile Armed? _recent;

    private volatile Armed? _armed;
    private long _lastAnsweredTicks;

    /// <summary>When the last answer was sent, if ever.</summary>
    public DateTimeOffset? LastAnsweredAt
    {
        get
        {
            var ticks = Interlocked.Read(ref _lastAnsweredTicks);
            return ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    /// <summary>The pair, if set.</summary>
    public AutoResponsePair? Pair => _armed?.Pair;

    /// <summary>Takes over the pair and the time of its last answer from the process a socket came from.</summary>
    public void Restore(AutoResponsePair? pair, DateTimeOffset? lastAnsweredAt)
    {
        Set(pair);
        Interlocked.Exchange(ref _lastAnsweredTicks, lastAnsweredAt?.UtcTicks ?? 0);
    }

    /// <summary>
    /// Replaces the pair; null turns auto-response off. The reply frame is made here, and shared with the sockets set
    /// to the same pair after it: a room sets one pair on all of its sockets, and each would otherwise keep a copy.
    /// </summary>
    public void Set(AutoResponsePair? pair)
    {
        if (pair is null)
        {
            _armed = null;
            return;
        }
        var recent = _recent;
        _armed = recent is not null && recent.Pair == pair
            ? recent
            : _recent = new Armed(pair, OutboundItem.Data(OutboundFrame.Text(pair.Response)));
    }

    /// <summary>True, with the frame to send, when <paramref name="text"/> is the request; records the time of the answer.</summary>
    public bool TryAnswer(string text, out OutboundItem reply)
    {
        if (_armed is { } armed && text == armed.Pair.Request)
        {
            reply = armed.Reply;
            Interlocked.Exchange(ref _lastAnsweredTicks, DateTimeOffset.UtcNow.UtcTicks);
            return true;
        }
        reply = default;
        return false;
    }
}

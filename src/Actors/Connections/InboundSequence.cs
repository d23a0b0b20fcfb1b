using AkkaHibernation.Actors.Behaviours;

namespace AkkaHibernation.Actors.Connections;

/// <summary>
/// Puts one socket's numbered messages back in send order for a room incarnation (cluster mode). The node holding the
/// socket numbers its messages and keeps those the room has not confirmed; if the room's node dies, it sends them
/// again, and a message sent after the node's removal may overtake them. So a copy of a message already handled is
/// dropped, and a message that arrives before an earlier one is held until the gap before it is filled: the room
/// handles each message once, in the order the client sent it, failover or not. The room confirms
/// <see cref="Contiguous"/>, so held messages stay unconfirmed at the socket's node, whose
/// <c>max-unacknowledged-messages</c> therefore bounds how many are ever held.
/// </summary>
internal sealed class InboundSequence
{
    private SortedList<long, RoomMessage>? _held;

    /// <summary>Every message up to this number is handled (or was confirmed to the socket's node before this incarnation).</summary>
    public long Contiguous { get; private set; } = -1;

    /// <summary>Messages waiting for an earlier one.</summary>
    public int HeldCount => _held?.Count ?? 0;

    /// <summary>
    /// Offers message <paramref name="seq"/>; returns the messages now ready to handle, in send order: this one and
    /// those it unblocks, or none when it is a copy or must wait for an earlier one. <paramref name="ackedUpTo"/> is
    /// what the socket's node knew was confirmed when it sent the message: a new incarnation starts from there.
    /// </summary>
    public IReadOnlyList<RoomMessage> Accept(long seq, long ackedUpTo, RoomMessage message)
    {
        if (Contiguous < ackedUpTo)
        {
            Contiguous = ackedUpTo;
            while (_held is { Count: > 0 } && _held.Keys[0] <= ackedUpTo)
                _held.RemoveAt(0);
        }
        if (seq <= Contiguous || _held?.ContainsKey(seq) == true)
            return [];
        if (seq != Contiguous + 1)
        {
            (_held ??= new SortedList<long, RoomMessage>()).Add(seq, message);
            return [];
        }
        Contiguous = seq;
        if (_held is not { Count: > 0 })
            return [message];
        var ready = new List<RoomMessage> { message };
        while (_held.Count > 0 && _held.Keys[0] == Contiguous + 1)
        {
            ready.Add(_held.Values[0]);
            _held.RemoveAt(0);
            Contiguous++;
        }
        return ready;
    }

    /// <summary>True when <paramref name="seq"/> is waiting for an earlier message.</summary>
    public bool IsHeld(long seq) => _held?.ContainsKey(seq) == true;

    /// <summary>
    /// The socket has closed, so the gap before the held messages can no longer fill (the message in it was lost
    /// with its node): they are handed over in send order, and nothing is held any more.
    /// </summary>
    public IReadOnlyList<RoomMessage> ReleaseHeld()
    {
        if (_held is not { Count: > 0 })
            return [];
        var held = _held.Values.ToList();
        Contiguous = _held.Keys[^1];
        _held = null;
        return held;
    }
}

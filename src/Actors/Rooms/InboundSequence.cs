namespace AkkaHibernation.Actors.Rooms;

/// <summary>
/// Which numbered messages of one socket a room incarnation has handled (cluster mode). The node holding the socket
/// numbers its messages and keeps those the room has not confirmed; if the room's node dies, it sends them again, and
/// a message sent after the node's removal may overtake them. So a message is handled once whatever order copies
/// arrive in, and the room confirms <see cref="Contiguous"/>: everything up to it is handled.
/// </summary>
internal sealed class InboundSequence
{
    private HashSet<long>? _handledAbove;

    /// <summary>Every message up to this number is handled (or was confirmed to the socket's node before this incarnation).</summary>
    public long Contiguous { get; private set; } = -1;

    /// <summary>
    /// True if message <paramref name="seq"/> is new and should be handled; false for a copy. <paramref name="ackedUpTo"/>
    /// is what the socket's node knew was confirmed when it sent the message: a new incarnation starts from there.
    /// </summary>
    public bool TryAccept(long seq, long ackedUpTo)
    {
        if (Contiguous < ackedUpTo)
        {
            Contiguous = ackedUpTo;
            _handledAbove?.RemoveWhere(handled => handled <= ackedUpTo);
        }
        if (seq <= Contiguous || _handledAbove?.Contains(seq) == true)
            return false;
        if (seq == Contiguous + 1)
        {
            Contiguous = seq;
            // Fill up from messages that overtook the gap this one closed.
            while (_handledAbove?.Remove(Contiguous + 1) == true)
                Contiguous++;
        }
        else
        {
            (_handledAbove ??= []).Add(seq);
        }
        if (_handledAbove?.Count == 0)
            _handledAbove = null;
        return true;
    }
}

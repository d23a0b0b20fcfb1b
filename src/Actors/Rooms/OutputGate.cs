using static AkkaHibernation.Actors.Rooms.RoomEvents;

namespace AkkaHibernation.Actors.Rooms;

/// <summary>
/// A room turn's output gate, as Durable Objects have: the frames and closes a turn issued leave only once the events
/// recorded before them are in the journal, its own and those of earlier turns still being written, so no client ever
/// sees the effect of a write the journal could still lose (a broadcast counting a session whose opening is not yet
/// written, say). A turn that recorded nothing while nothing is being written lets its effects out at once.
/// </summary>
/// <param name="runtime">The incarnation whose pending events and effects the gate holds.</param>
/// <param name="persistThen">
/// Persists the events (none: only waits for the writes before), then runs the continuation (the actor's
/// <c>PersistAllAsync</c> and <c>DeferAsync</c>).
/// </param>
/// <param name="writing">Whether a write of an earlier turn is still unconfirmed.</param>
internal sealed class OutputGate(RoomRuntime runtime, Action<List<IRoomEvent>, Action> persistThen, Func<bool> writing)
{
    /// <summary>Persists what the turn recorded, then releases its effects, then runs <paramref name="afterPersist"/>.</summary>
    public void Commit(Action? afterPersist = null)
    {
        if (!runtime.HasPendingEvents && !writing())
        {
            runtime.FlushEffects();
            afterPersist?.Invoke();
            return;
        }
        var (events, effects) = runtime.DetachPending();
        persistThen(events, () =>
        {
            runtime.ApplyEffects(effects);
            afterPersist?.Invoke();
        });
    }
}

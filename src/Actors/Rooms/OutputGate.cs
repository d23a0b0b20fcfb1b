using static AkkaHibernation.Actors.Rooms.RoomEvents;

namespace AkkaHibernation.Actors.Rooms;

/// <summary>
/// A room turn's output gate, as Durable Objects have: the frames and closes a turn issued leave only once the events it
/// recorded are in the journal, so no client ever sees the effect of a write the journal could still lose. A turn
/// that recorded nothing lets its effects out at once.
/// </summary>
/// <param name="runtime">The incarnation whose pending events and effects the gate holds.</param>
/// <param name="persistThen">Persists the events, then runs the continuation (the actor's <c>PersistAll</c> and <c>DeferAsync</c>).</param>
internal sealed class OutputGate(RoomRuntime runtime, Action<List<IRoomEvent>, Action> persistThen)
{
    /// <summary>Persists what the turn recorded, then releases its effects, then runs <paramref name="afterPersist"/>.</summary>
    public void Commit(Action? afterPersist = null)
    {
        if (!runtime.HasPendingEvents)
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

namespace AkkaHibernation.Transport.Sockets;

/// <summary>
/// Stops one loop of a socket (its reader, or its writer) at a safe point so another process can take the socket over,
/// without costing an idle socket anything: no cancellation token on its pending wait, just a state word. The loop
/// calls <see cref="TryEnterWait"/> before it waits at a safe point (the reader: a zero-byte receive at a frame
/// boundary with nothing buffered; the writer: its queue being empty) and <see cref="LeaveWaitAsync"/> after the wait;
/// outside a wait it checks <see cref="ParkIfAskedAsync"/> at each safe point. A loop parked inside its wait still has
/// that wait pending (a zero-byte receive takes no bytes, so leaving it pending steals nothing); once it returns, the
/// loop waits for the outcome: resumed (the hand-over was abandoned) or handed over (it must stop and touch nothing).
/// </summary>
internal sealed class FreezeGate
{
    private const int Busy = 0, Waiting = 1, ParkRequested = 2, Parked = 3, HandedOver = 4;

    private int _state = Busy;
    private TaskCompletionSource? _parked;
    private TaskCompletionSource<bool>? _outcome;

    /// <summary>The loop is asked to park, or is parked: at its next safe point it should call <see cref="ParkIfAskedAsync"/>.</summary>
    public bool IsAsked => Volatile.Read(ref _state) is ParkRequested or Parked;

    /// <summary>The loop is parked at its safe point (or was handed over).</summary>
    public bool IsParked => Volatile.Read(ref _state) >= Parked;

    /// <summary>Asks the loop to park; completes once it has (at once when it is waiting at its safe point).</summary>
    public Task ParkAsync()
    {
        lock (this)
        {
            if (Volatile.Read(ref _state) >= Parked)
                return Task.CompletedTask;
            _outcome ??= new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (Interlocked.CompareExchange(ref _state, Parked, Waiting) == Waiting)
                return Task.CompletedTask;
            _parked ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Interlocked.CompareExchange(ref _state, ParkRequested, Busy);
            // The loop may have entered its wait between the two exchanges.
            if (Interlocked.CompareExchange(ref _state, Parked, Waiting) == Waiting)
                _parked.TrySetResult();
            return _parked.Task;
        }
    }

    /// <summary>The hand-over was abandoned: the loop carries on where it stopped.</summary>
    public void Resume() => End(resumed: true);

    /// <summary>Another process owns the socket now: the parked loop stops without touching it.</summary>
    public void HandOver() => End(resumed: false);

    /// <summary>Before a wait at a safe point: false when the loop is asked to park instead (call <see cref="ParkIfAskedAsync"/>).</summary>
    public bool TryEnterWait() => Interlocked.CompareExchange(ref _state, Waiting, Busy) == Busy;

    /// <summary>
    /// After that wait: true to carry on; false when the socket was handed over meanwhile (the loop must stop).
    /// If the loop was parked during the wait, this waits for the outcome.
    /// </summary>
    public async ValueTask<bool> LeaveWaitAsync()
    {
        if (Interlocked.CompareExchange(ref _state, Busy, Waiting) == Waiting)
            return true;
        return await OutcomeAsync();
    }

    /// <summary>At a safe point outside a wait: parks if asked to; true to carry on, false when handed over.</summary>
    public async ValueTask<bool> ParkIfAskedAsync()
    {
        if (Volatile.Read(ref _state) == Busy)
            return true;
        lock (this)
        {
            if (Interlocked.CompareExchange(ref _state, Parked, ParkRequested) == ParkRequested)
                _parked?.TrySetResult();
        }
        return await OutcomeAsync();
    }

    private async ValueTask<bool> OutcomeAsync()
    {
        Task<bool> outcome;
        lock (this)
        {
            if (Volatile.Read(ref _state) == HandedOver)
                return false;
            outcome = (_outcome ??= new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
        if (!await outcome)
            return false;
        Volatile.Write(ref _state, Busy);
        return true;
    }

    /// <inheritdoc />
    public override string ToString() =>
        Volatile.Read(ref _state) switch
        {
            Busy => "busy",
            Waiting => "waiting",
            ParkRequested => "asked to park",
            Parked => "parked",
            _ => "handed over",
        };

    private void End(bool resumed)
    {
        TaskCompletionSource<bool>? outcome;
        lock (this)
        {
            outcome = _outcome;
            _outcome = null;
            _parked = null;
            // A loop still inside its wait goes back to waiting, one that had left it is woken by the outcome, and one
            // that never reached a safe point is no longer asked to.
            if (resumed)
            {
                Interlocked.CompareExchange(ref _state, Waiting, Parked);
                Interlocked.CompareExchange(ref _state, Busy, ParkRequested);
            }
            else
                Volatile.Write(ref _state, HandedOver);
        }
        outcome?.TrySetResult(resumed);
    }
}

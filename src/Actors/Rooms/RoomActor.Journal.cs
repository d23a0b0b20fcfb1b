using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using static AkkaHibernation.Actors.Hibernation.HibernationProtocol;
using static AkkaHibernation.Actors.Rooms.RoomEvents;

namespace AkkaHibernation.Actors.Rooms;

/// <summary>The room's journal: each turn's write behind the output gate, snapshots and their clean-up, hibernating and stopping.</summary>
public sealed partial class RoomActor
{
    /// <summary>Persists what the turn recorded, then releases its frames (and <paramref name="afterPersist"/>).</summary>
    private void Commit(Action? afterPersist = null)
    {
        _alarm.Arm(Timers, _hosting.Observer(Context));
        _gate.Commit(afterPersist);
    }

    /// <summary>
    /// The gate's write: persist the events; once they are confirmed, let the turn's effects out, and snapshot when due.
    /// The room does not wait for the write: the next commands are handled meanwhile (their own effects wait behind
    /// it, since deferred handlers run in order), so a burst of connects costs one batched journal write, not one
    /// round trip each. A write that fails stops the room before any effect of it left; its next incarnation recovers
    /// what the journal holds.
    /// </summary>
    private void PersistThen(List<IRoomEvent> events, Action released)
    {
        if (events.Count == 0)
        {
            DeferAsync(released, then => then()); // nothing to write: wait only for the writes before
            return;
        }
        var writing = Stopwatch.StartNew();
        _writesInFlight++;
        PersistAllAsync(events, _ => { });
        DeferAsync(released, then =>
        {
            _writesInFlight--;
            _counters.JournalWritten(writing.Elapsed);
            then();
            if (_writesInFlight > 0)
                return; // a snapshot must not hold state whose events are not written yet
            if (!_snapshotInFlight && LastSequenceNr - _snapshotSequenceNr >= SnapshotInterval)
                TakeSnapshot();
            Self.Tell(WritesSettled.Instance);
        });
    }

    /// <summary>
    /// Events between periodic snapshots: <c>snapshot-every</c>, or as many as the room has sessions when that is
    /// more. A snapshot writes every session, so a fixed interval would make a big room's connect storm quadratic
    /// (5,000 connects into one room wrote 50 snapshots of up to 5,000 sessions); this way each event pays for about
    /// one session's share of a snapshot, and a wake still replays no more events than the snapshot has sessions.
    /// </summary>
    private long SnapshotInterval => Math.Max(_settings.SnapshotEvery, _runtime.State.Sessions.Count);

    private void FireAlarm()
    {
        if (_alarm.Fire(Behaviour, Timers, _hosting.Observer(Context)))
            Commit();
    }

    private void BeginHibernation(string why, bool handOff)
    {
        _handingOff = handOff;
        _log.Debug("Room {Room}: hibernating ({Reason})", _room, why);
        Become(Hibernating);
        ContinueHibernation();
    }

    /// <summary>Snapshot what is not yet covered, wait for its clean-up, then ask the host to stop this room.</summary>
    private void ContinueHibernation()
    {
        if (_writesInFlight > 0 || _snapshotInFlight || _deletesInFlight > 0)
            return; // a write, a snapshot or its clean-up is still running; its answer continues here
        // A room with a journal sleeps under a snapshot that names this run of the node, even when no event came
        // since its last one (written then again, in place): its wake counts it out of the hibernated rooms, so the
        // node keeps nothing per sleeping room. A room that never recorded an event leaves nothing in the journal.
        if (LastSequenceNr > 0 && !SleepsUnderOwnSnapshot)
            TakeSnapshot(hibernating: true);
        else
            AskToStop();
    }

    /// <summary>The latest snapshot is this run's hibernation snapshot and nothing was recorded after it.</summary>
    private bool SleepsUnderOwnSnapshot =>
        LastSequenceNr > 0 && _snapshotSequenceNr == LastSequenceNr && _snapshotHibernatedBy == _counters.RunId;

    private void AskToStop() =>
        _hosting.RequestStop(Context, _handingOff, SleepsUnderOwnSnapshot ? RequestPassivation.Snapshotted : RequestPassivation.Empty);

    private void TakeSnapshot(bool hibernating = false)
    {
        _snapshotInFlight = true;
        _savingHibernatedBy = hibernating ? _counters.RunId : null;
        var snapshot = _runtime.State.ToSnapshot();
        SaveSnapshot(hibernating ? snapshot with { HibernatedBy = _savingHibernatedBy } : snapshot);
    }

    /// <summary>A snapshot is written; its clean-up follows, and a hibernation continues once that is answered.</summary>
    private void OnSnapshotSaved(SaveSnapshotSuccess saved, bool hibernating)
    {
        // Only a room that recovered from a snapshot or wrote one before has older snapshots to delete; a room used
        // once, as rooms named per document are, then asks the snapshot store for one write fewer.
        var olderSnapshotAt = _snapshotSequenceNr;
        var olderSnapshots = olderSnapshotAt > 0;
        _snapshotInFlight = false;
        _snapshotSequenceNr = saved.Metadata.SequenceNr;
        _snapshotHibernatedBy = _savingHibernatedBy;
        // The snapshot covers these rows and older snapshots: keep the journal bounded. The newest covered event
        // stays, so the room keeps a live journal row that Akka.Persistence.Query lists (ops commands find it).
        var coveredRows = saved.Metadata.SequenceNr - 1;
        if (coveredRows > 0 && DeletesCoveredRows(olderSnapshotAt, saved.Metadata.SequenceNr))
        {
            _deletesInFlight++;
            DeleteMessages(coveredRows);
        }
        if (olderSnapshots)
        {
            _deletesInFlight++;
            DeleteSnapshots(new SnapshotSelectionCriteria(coveredRows));
        }
        if (hibernating)
            ContinueHibernation(); // goes on now when there was nothing to clean up, else when the last delete answers
    }

    /// <summary>
    /// Whether a snapshot at <paramref name="sequenceNr"/>, the one before it at <paramref name="olderSnapshotAt"/>,
    /// deletes the journal rows it covers: when it passes a multiple of <c>snapshot-every</c>, and whenever the room
    /// was told to hibernate rather than fell idle (<see cref="HibernateNow"/>: a shutdown, a takeover,
    /// <c>journal compact</c>, the resident-room cap).
    /// </summary>
    /// <remarks>
    /// The delete is the dearest write of a room used once (rooms named per document or per match): a transaction of
    /// several statements whose SQL linq2db builds anew on every call, about a fifth of the node's CPU when such rooms
    /// come and go (BENCHMARKS.md, "Rooms used once"). Left to a later snapshot, those rows cost disk, not time: no
    /// recovery reads them, since it starts after the snapshot. A periodic snapshot comes at least snapshot-every
    /// events after the one before, so it always passes a multiple and deletes; a room's journal keeps fewer than
    /// snapshot-every rows more than it would otherwise.
    /// </remarks>
    private bool DeletesCoveredRows(long olderSnapshotAt, long sequenceNr) =>
        _handingOff || sequenceNr / _settings.SnapshotEvery > olderSnapshotAt / _settings.SnapshotEvery;

    private void OnDeleteAnswered(bool hibernating)
    {
        _deletesInFlight--;
        if (hibernating)
            ContinueHibernation();
    }

    /// <summary>The host stops the room: it waits for what is in flight, then retires its connection actors and stops.</summary>
    private void BeginStopping()
    {
        _log.Debug("Room {Room}: stopping", _room);
        Become(Stopping);
        ContinueStopping();
    }

    private void ContinueStopping()
    {
        if (_retiring || _writesInFlight > 0 || _connectionRepliesDue > 0)
            return; // a write or a connection actor's answer is due; its arrival continues here
        _retiring = true;
        _runtime.FlushConnections(); // what they must carry out before they retire
        _connections.Retire(_runtime.LiveSockets);
        StopOnceChildrenGone();
    }

    /// <summary>Once it retires its connection actors, the room stops when the last of them has terminated.</summary>
    private void StopOnceChildrenGone()
    {
        if (_retiring && _connections.AllGone)
            Context.Stop(Self);
    }
}

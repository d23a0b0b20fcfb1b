using Akka.Actor;
using Akka.Persistence;
using AkkaHibernation.Actors.Rooms;

namespace AkkaHibernation.Server.Journal;

/// <summary>
/// Recovers a persistence id of its own when the node starts, so the plugins' start-up costs are paid then, not by
/// the first room that wakes. The id holds a snapshot in a room's shape and an event after it (written by the first
/// start on a journal, read by every start), so the first wake after a start does not pay either for the plugin's
/// first row of each kind: its row mapping, the serializer's first run on a snapshot, the replay path. It is also the
/// node's first contact with the journal, so a store that cannot be used stops the start here, with the store's own
/// words.
/// </summary>
public static class JournalWarmup
{
    /// <summary>Not a room's id (those start with <see cref="AkkaHibernation.Ids.RoomKey.PersistenceIdPrefix"/>), so no ops script lists it.</summary>
    public const string PersistenceId = "akka-hibernation-warmup";

    /// <summary>
    /// Runs the warm-up and waits for it; throws <see cref="JournalUnavailableException"/> naming
    /// <paramref name="journal"/> when it cannot be reached or does not recover within <paramref name="timeout"/>.
    /// </summary>
    public static async Task RunAsync(ActorSystem system, JournalStore journal, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            // The plugins retry a failed start in the background and only log it: without this check a wrong
            // address or login would show as a wait for the whole timeout.
            await journal.CheckReachableAsync(deadline.Token);
            // The first start on a journal writes the rows; a second recovery then reads them as every later start does.
            if (await RecoverAsync(system, seed: true, "journal-warmup", deadline.Token) == Outcome.Seeded)
                await RecoverAsync(system, seed: false, "journal-warmup-read", deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new JournalUnavailableException($"The journal ({journal.Description}) did not answer within {timeout.TotalSeconds:0} s");
        }
        catch (Exception error)
        {
            throw new JournalUnavailableException($"The journal ({journal.Description}) cannot be used: {Describe(error)}", error);
        }
    }

    /// <summary>Recovers the warm-up id once more, reading what the start seeded (an actor named <paramref name="name"/>, unique while it runs).</summary>
    public static Task ReadAsync(ActorSystem system, string name, CancellationToken cancellationToken) =>
        RecoverAsync(system, seed: false, name, cancellationToken);

    private static async Task<Outcome> RecoverAsync(ActorSystem system, bool seed, string name, CancellationToken cancellationToken)
    {
        var finished = new TaskCompletionSource<Outcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        var warmup = system.ActorOf(Props.Create(() => new WarmupActor(finished, seed)), name);
        try
        {
            return await finished.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            system.Stop(warmup);
        }
    }

    /// <summary>"Failed to connect to 127.0.0.1:5432 (Connection refused)": the driver's words with the root cause.</summary>
    private static string Describe(Exception error) =>
        error.GetBaseException() is var root && root != error ? $"{error.Message} ({root.Message})" : error.Message;

    private enum Outcome
    {
        /// <summary>Recovered a snapshot and an event after it, or (not seeding) whatever there was.</summary>
        Read,

        /// <summary>Found them missing and wrote them (or tried: a write that failed leaves a warm-up with less to read).</summary>
        Seeded,
    }

    private sealed class WarmupActor : ReceivePersistentActor
    {
        private readonly TaskCompletionSource<Outcome> _finished;
        private bool _snapshotRead;
        private bool _eventRead;

        public WarmupActor(TaskCompletionSource<Outcome> finished, bool seed)
        {
            _finished = finished;
            Recover<SnapshotOffer>(_ => _snapshotRead = true);
            Recover<RoomEvents.SessionOpened>(_ => _eventRead = _snapshotRead);
            Recover<RecoveryCompleted>(_ =>
            {
                if (!seed || (_snapshotRead && _eventRead))
                    _finished.TrySetResult(Outcome.Read);
                else
                    Persist(RoomRecoveryWarmup.SampleEvent(), _ => SaveSnapshot(RoomRecoveryWarmup.SampleSnapshot()));
            });
            Command<SaveSnapshotSuccess>(_ => Persist(RoomRecoveryWarmup.SampleEvent(), _ => _finished.TrySetResult(Outcome.Seeded)));
            Command<SaveSnapshotFailure>(_ => _finished.TrySetResult(Outcome.Seeded));
        }

        public override string PersistenceId => JournalWarmup.PersistenceId;

        // Without this the failure would only be logged and the start would wait out the whole timeout.
        protected override void OnRecoveryFailure(Exception reason, object? message = null)
        {
            _finished.TrySetException(reason);
            base.OnRecoveryFailure(reason, message);
        }

        // Cluster nodes starting together may both seed the id; the one that loses the race reads what the other wrote.
        protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
        {
            _finished.TrySetResult(Outcome.Seeded);
            base.OnPersistFailure(cause, @event, sequenceNr);
        }

        protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
        {
            _finished.TrySetResult(Outcome.Seeded);
            base.OnPersistRejected(cause, @event, sequenceNr);
        }
    }
}

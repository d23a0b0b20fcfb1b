using Akka.Actor;
using Akka.Persistence;
using AkkaHibernation.Actors.Serialization;
using static AkkaHibernation.Actors.Hibernation.HibernationProtocol;

namespace AkkaHibernation.Actors.Hibernation;

/// <summary>
/// The node's durable list of room alarms (persistence id <c>alarm-index</c>), so that a room that sleeps through a
/// restart is still woken when its alarm is due. Rooms keep their own alarm in their journal; this is only the index.
/// </summary>
public sealed class AlarmIndex : ReceivePersistentActor
{
    /// <summary>An alarm was set or cleared for a room.</summary>
    public sealed record AlarmIndexed(string RoomName, DateTimeOffset? At) : IJournalPayload;

    /// <summary>The whole index, for snapshots.</summary>
    public sealed record AlarmIndexSnapshot(IReadOnlyDictionary<string, DateTimeOffset> Alarms) : IJournalPayload;

    private const int SnapshotEvery = 100;
    private Dictionary<string, DateTimeOffset> _alarms = new();

    /// <summary>Made by the manager.</summary>
    public AlarmIndex()
    {
        Recover<SnapshotOffer>(offer => _alarms = new Dictionary<string, DateTimeOffset>(((AlarmIndexSnapshot)offer.Snapshot).Alarms));
        Recover<AlarmIndexed>(Apply);
        Recover<RecoveryCompleted>(_ =>
        {
            foreach (var (room, at) in _alarms)
                Context.Parent.Tell(new AlarmRestored(room, at));
        });
        Command<AlarmScheduled>(scheduled =>
        {
            var known = _alarms.TryGetValue(scheduled.RoomName, out var at) ? at : (DateTimeOffset?)null;
            if (known == scheduled.At)
                return;
            Persist(new AlarmIndexed(scheduled.RoomName, scheduled.At), indexed =>
            {
                Apply(indexed);
                if (LastSequenceNr % SnapshotEvery == 0)
                    SaveSnapshot(new AlarmIndexSnapshot(_alarms));
            });
        });
        Command<SaveSnapshotSuccess>(saved => DeleteMessages(saved.Metadata.SequenceNr - 1));
        Command<SaveSnapshotFailure>(_ => { });
        Command<DeleteMessagesSuccess>(_ => { });
        Command<DeleteMessagesFailure>(_ => { });
    }

    /// <inheritdoc />
    public override string PersistenceId => "alarm-index";

    private void Apply(AlarmIndexed indexed)
    {
        if (indexed.At is { } at)
            _alarms[indexed.RoomName] = at;
        else
            _alarms.Remove(indexed.RoomName);
    }
}

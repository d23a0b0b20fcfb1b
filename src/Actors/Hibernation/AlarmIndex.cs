using System.Text.Json.Serialization;
using Akka.Actor;
using Akka.Persistence;
using AkkaHibernation.Actors.Serialization;
using AkkaHibernation.Ids;
using static AkkaHibernation.Actors.Hibernation.HibernationProtocol;
using static AkkaHibernation.Actors.Rooms.RoomProtocol;

namespace AkkaHibernation.Actors.Hibernation;

/// <summary>
/// The durable list of room alarms (persistence id <c>alarm-index</c>), so that a room that sleeps through a
/// restart is still woken when its alarm is due. Rooms keep their own alarm in their journal; this is only the index.
/// On a single node it is the manager's child and hands restored alarms to it; in cluster mode it is a cluster
/// singleton that wakes rooms itself through the shard region, so an alarm survives the node that set it.
/// </summary>
public sealed class AlarmIndex : ReceivePersistentActor, IWithTimers
{
    /// <summary>An alarm was set or cleared for a room (stored as <c>roomName</c>, as journals before typed keys hold it).</summary>
    public sealed record AlarmIndexed([property: JsonPropertyName("roomName")] RoomKey Room, DateTimeOffset? At) : IJournalPayload;

    /// <summary>The whole index, for snapshots.</summary>
    public sealed record AlarmIndexSnapshot(IReadOnlyDictionary<RoomKey, DateTimeOffset> Alarms) : IJournalPayload;

    private const int SnapshotEvery = 100;
    private Dictionary<RoomKey, DateTimeOffset> _alarms = new();
    private readonly IActorRef? _wakeRooms;
    private AlarmWakeTimers? _alarmWakes;

    /// <summary>
    /// Props for the index. Without <paramref name="wakeRooms"/> it tells its parent each alarm it recovers; with
    /// it, it keeps a timer per alarm and sends the room a <see cref="Wake"/> through <paramref name="wakeRooms"/>.
    /// </summary>
    public static Props Props(IActorRef? wakeRooms = null) => Akka.Actor.Props.Create(() => new AlarmIndex(wakeRooms));

    /// <summary>Made by Akka from <see cref="Props"/>; public because Akka's activator needs it.</summary>
    public AlarmIndex(IActorRef? wakeRooms)
    {
        _wakeRooms = wakeRooms;
        Recover<SnapshotOffer>(offer => _alarms = new Dictionary<RoomKey, DateTimeOffset>(((AlarmIndexSnapshot)offer.Snapshot).Alarms));
        Recover<AlarmIndexed>(Apply);
        Recover<RecoveryCompleted>(_ =>
        {
            foreach (var (room, at) in _alarms)
            {
                if (_wakeRooms is null)
                    Context.Parent.Tell(new AlarmRestored(room, at));
                else
                    AlarmWakes.Schedule(room, at);
            }
        });
        Command<AlarmWakeTimers.Due>(due => _wakeRooms?.Tell(new Wake(due.Room)));
        Command<AlarmScheduled>(scheduled =>
        {
            var known = _alarms.TryGetValue(scheduled.Room, out var at) ? at : (DateTimeOffset?)null;
            if (known == scheduled.At)
                return;
            Persist(new AlarmIndexed(scheduled.Room, scheduled.At), indexed =>
            {
                Apply(indexed);
                if (_wakeRooms is not null)
                    AlarmWakes.Schedule(indexed.Room, indexed.At);
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

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    private AlarmWakeTimers AlarmWakes => _alarmWakes ??= new AlarmWakeTimers(Timers);

    private void Apply(AlarmIndexed indexed)
    {
        if (indexed.At is { } at)
            _alarms[indexed.Room] = at;
        else
            _alarms.Remove(indexed.Room);
    }
}

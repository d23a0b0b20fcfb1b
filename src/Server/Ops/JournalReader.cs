using System.Text.Json;
using Akka;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using AkkaHibernation.Actors.Rooms;
using AkkaHibernation.Actors.Serialization;
using AkkaHibernation.Ids;
using AkkaHibernation.Server.Journal;

namespace AkkaHibernation.Server.Ops;

/// <summary>
/// Reads rooms back from the journal through Akka.Persistence.Query and the snapshot store plugin, so it works on
/// any store Akka.Persistence.Sql supports. Opened read-only, it never writes and is safe beside a live server.
/// </summary>
public sealed class JournalReader : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly IActorRef _snapshotStore;

    private JournalReader(ActorSystem system, JournalStore store)
    {
        System = system;
        Store = store;
        Materializer = system.Materializer();
        Journal = PersistenceQuery.Get(system).ReadJournalFor<SqlReadJournal>(SqlReadJournal.Identifier);
        _snapshotStore = Persistence.Instance.Apply(system).SnapshotStoreFor(null);
    }

    /// <summary>The reader's actor system (compaction runs rooms in it).</summary>
    public ActorSystem System { get; }

    /// <summary>The store the journal is read from.</summary>
    public JournalStore Store { get; }

    /// <summary>The read journal.</summary>
    public SqlReadJournal Journal { get; }

    /// <summary>The materializer for query streams.</summary>
    public IMaterializer Materializer { get; }

    /// <summary>
    /// Opens the journal store of <paramref name="config"/>; read-only unless <paramref name="writable"/> (a SQLite
    /// file is then opened read-only, a PostgreSQL database is not initialised).
    /// </summary>
    public static JournalReader Open(Config config, bool writable = false)
    {
        var store = JournalStore.FromConfig(config);
        if (!store.Exists)
            throw new OpsException(ExitCodes.DatabaseMissing, $"No journal database at {store.Description} (set --database or --postgres)");
        var plugins = writable ? store.Prepare() : store.ReadOnly();
        // Akka's own log would mix into the command's output (and break --json): keep it quiet.
        var quiet = ConfigurationFactory.ParseString("akka { loglevel = ERROR, stdout-loglevel = OFF, loggers = [\"Akka.Event.DefaultLogger\"] }");
        var system = ActorSystem.Create("akka-hibernation-ops", store.SystemSetup(quiet.WithFallback(plugins)));
        return new JournalReader(system, store);
    }

    /// <summary>
    /// Every room that has a journal, sorted by key, and the persistence ids that look like a room's but hold no valid
    /// key (written by hand or by another program: no server of ours makes them), which <c>verify</c> reports.
    /// </summary>
    public async Task<(IReadOnlyList<RoomKey> Rooms, IReadOnlyList<string> Invalid)> RoomKeysAsync()
    {
        var ids = await Journal.CurrentPersistenceIds().RunWith(Sink.Seq<string>(), Materializer).WaitAsync(Timeout);
        var rooms = new List<RoomKey>();
        var invalid = new List<string>();
        foreach (var id in ids.Where(id => id.StartsWith(RoomKey.PersistenceIdPrefix, StringComparison.Ordinal)))
        {
            if (RoomKey.TryParse(id[RoomKey.PersistenceIdPrefix.Length..], out var room, out _))
                rooms.Add(room);
            else
                invalid.Add(id);
        }
        rooms.Sort((a, b) => string.CompareOrdinal(a.Value, b.Value));
        invalid.Sort(StringComparer.Ordinal);
        return (rooms, invalid);
    }

    /// <summary>
    /// Replays a room from its snapshot and events; problems are rows that do not replay. A live server may snapshot the
    /// room and delete the rows its snapshot covers between the two reads (a room hibernating as it is read): the events
    /// then begin past the snapshot read before them, and the room is read again. Without that a room read as it
    /// hibernated showed none of its sessions and a sequence gap (seen in CI).
    /// </summary>
    public async Task<(RoomDetail Detail, IReadOnlyList<VerifyProblem> Problems)> LoadRoomAsync(RoomKey room)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (detail, problems, overtaken) = await LoadRoomOnceAsync(room);
            if (!overtaken || attempt == ReadAttempts)
                return (detail, problems);
        }
    }

    // A room snapshots seconds apart at the most, so a third read overtaken again is a real gap, reported as such.
    private const int ReadAttempts = 3;

    /// <summary>One read of the room; <c>Overtaken</c>: its first event past the snapshot did not follow the snapshot.</summary>
    private async Task<(RoomDetail Detail, IReadOnlyList<VerifyProblem> Problems, bool Overtaken)> LoadRoomOnceAsync(RoomKey room)
    {
        var persistenceId = room.PersistenceId;
        var problems = new List<VerifyProblem>();
        var state = RoomState.Empty;
        long? snapshotSequenceNr = null;
        DateTimeOffset? snapshotAt = null;

        var loaded = await _snapshotStore.Ask<object>(
            new LoadSnapshot(persistenceId, SnapshotSelectionCriteria.Latest, long.MaxValue), Timeout);
        switch (loaded)
        {
            case LoadSnapshotResult { Snapshot: { } selected }:
                state = RoomState.FromSnapshot((RoomSnapshot)selected.Snapshot);
                snapshotSequenceNr = selected.Metadata.SequenceNr;
                snapshotAt = new DateTimeOffset(selected.Metadata.Timestamp, TimeSpan.Zero);
                break;
            case LoadSnapshotFailed failed:
                problems.Add(new VerifyProblem(persistenceId, 0, $"snapshot does not load: {failed.Cause.Message}"));
                break;
        }

        var rows = 0L;
        var last = snapshotSequenceNr ?? 0;
        var overtaken = false;
        try
        {
            await Journal.CurrentEventsByPersistenceId(persistenceId, 0, long.MaxValue)
                .RunForeach(envelope =>
                {
                    rows++;
                    if (envelope.SequenceNr <= (snapshotSequenceNr ?? 0))
                        return; // covered by the snapshot (the journal deletes these after it)
                    if (envelope.SequenceNr != last + 1)
                    {
                        overtaken |= last == (snapshotSequenceNr ?? 0);
                        problems.Add(new VerifyProblem(persistenceId, envelope.SequenceNr, $"sequence gap: expected {last + 1}"));
                    }
                    last = envelope.SequenceNr;
                    if (envelope.Event is RoomEvents.IRoomEvent evt)
                        state = state.Apply(evt);
                    else
                        problems.Add(new VerifyProblem(persistenceId, envelope.SequenceNr, $"not a room event: {envelope.Event.GetType().Name}"));
                }, Materializer)
                .WaitAsync(Timeout);
        }
        catch (Exception error) when (error is not TimeoutException)
        {
            problems.Add(new VerifyProblem(persistenceId, last + 1, $"row does not replay: {Innermost(error).Message}"));
        }

        var report = new RoomReport(
            room,
            state.Sessions.IsEmpty ? "empty" : "sessions",
            state.Sessions.Count,
            last,
            snapshotSequenceNr,
            snapshotAt,
            rows,
            state.AutoResponse is { } pair ? $"{pair.Request} -> {pair.Response}" : null);
        var sessions = state.SessionsInOrder()
            .Select(s => new SessionReport(s.ConnectionId, s.OpenedAt, s.Tags, s.Attachment))
            .ToList();
        return (new RoomDetail(report, sessions, state.Storage.Keys.ToList()), problems, overtaken);
    }

    /// <summary>The events of a room from <paramref name="from"/>; with <paramref name="follow"/>, also those written later.</summary>
    public Source<EventReport, NotUsed> Events(RoomKey room, long from, bool follow)
    {
        var persistenceId = room.PersistenceId;
        var source = follow
            ? Journal.EventsByPersistenceId(persistenceId, from, long.MaxValue)
            : Journal.CurrentEventsByPersistenceId(persistenceId, from, long.MaxValue);
        return source.Select(envelope => new EventReport(
            envelope.SequenceNr,
            TimestampOf(envelope.Timestamp),
            envelope.Event.GetType().Name,
            JsonSerializer.SerializeToElement(envelope.Event, envelope.Event.GetType(), JournalSerializer.JsonOptions)));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await System.Terminate();

    /// <summary>
    /// Akka.Persistence.Sql stores .NET ticks where other journals store Unix milliseconds; a value past the last
    /// Unix millisecond of year 9999 can only be ticks.
    /// </summary>
    private static DateTimeOffset TimestampOf(long value) =>
        value > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()
            ? new DateTimeOffset(value, TimeSpan.Zero)
            : DateTimeOffset.FromUnixTimeMilliseconds(value);

    private static Exception Innermost(Exception error)
    {
        while (error.InnerException is not null)
            error = error.InnerException;
        return error;
    }
}

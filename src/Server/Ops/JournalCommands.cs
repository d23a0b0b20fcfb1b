using System.CommandLine;
using System.Data.Common;
using Akka.Actor;
using Akka.Configuration;
using Akka.Streams.Dsl;
using AkkaHibernation.Actors.Behaviours;
using AkkaHibernation.Actors.Hibernation;
using AkkaHibernation.Ids;
using AkkaHibernation.Server.Configuration;
using AkkaHibernation.Server.Journal;
using AkkaHibernation.Server.Node;
using AkkaHibernation.Transport.Sockets;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using static AkkaHibernation.Actors.Hibernation.HibernationProtocol;
using static AkkaHibernation.Actors.Rooms.RoomProtocol;

namespace AkkaHibernation.Server.Ops;

/// <summary>
/// <c>journal rooms | room NAME | events NAME | verify | compact | backup</c>: what an operator asks of the journal,
/// in SQLite or PostgreSQL. All but compact open the journal read-only and are safe beside a running server.
/// </summary>
public static class JournalCommands
{
    private static readonly TimeSpan CompactionTimeout = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The <c>journal</c> command with its subcommands; <c>compact</c> wakes rooms with the types
    /// <paramref name="roomTypes"/> gives for the loaded configuration (the host's own registrations).
    /// </summary>
    public static Command Create(
        Option<string?> database, Option<string?> postgres, Option<string?> hoconDirectory, IConfiguration configuration, Func<Config, RoomTypes> roomTypes)
    {
        var json = new Option<bool>("--json") { Description = "Write JSON for scripts instead of a table", Recursive = true };
        var name = new Argument<string>("room") { Description = "The room: its name, or type:name for a room of a registered type" };
        var from = new Option<long>("--from") { Description = "First sequence number to show", DefaultValueFactory = _ => 1 };
        var follow = new Option<bool>("--follow") { Description = "Keep printing events as they are written (Ctrl-C stops)" };
        var force = new Option<bool>("--force")
        {
            Description = "Compact even though a server seems to hold the SQLite file; on PostgreSQL, confirm that every node is stopped",
        };
        var to = new Argument<string>("destination") { Description = "The backup file to write (must not exist)" };

        var options = new JournalOptions(database, postgres, hoconDirectory, configuration);
        var journal = new Command("journal", "Inspect the journal: read-only and safe beside a running server (except compact)") { json };

        var rooms = new Command("rooms", "Every room: sessions, last sequence number, snapshot age, journal rows");
        rooms.SetAction((parsed, _) => Run(parsed, options, json, RoomsAsync));
        var room = new Command("room", "One room: its sessions with ids, tags and attachments") { name };
        room.SetAction((parsed, _) => Run(parsed, options, json, (reader, output) => RoomAsync(reader, output, parsed.GetValue(name)!)));
        var events = new Command("events", "A room's events in order") { name, from, follow };
        events.SetAction((parsed, token) => Run(parsed, options, json,
            (reader, output) => EventsAsync(reader, output, parsed.GetValue(name)!, parsed.GetValue(from), parsed.GetValue(follow), token)));
        var verify = new Command("verify", "Replay every room; exit code 1 with the offending rows when one does not replay");
        verify.SetAction((parsed, _) => Run(parsed, options, json, VerifyAsync));
        var compact = new Command("compact",
            "Snapshot rooms whose journal has rows and delete those rows (refuses while a server holds the SQLite file; " +
            "on PostgreSQL, which has no such lock, stop every node and pass --force)") { force };
        compact.SetAction((parsed, _) => Run(parsed, options, json,
            (reader, output) => CompactAsync(reader, output, roomTypes(reader.System.Settings.Config), parsed.GetValue(force)), writable: true));

        var backup = new Command("backup",
            "Copy the database consistently with SQLite's online backup (safe beside a running server; for PostgreSQL use pg_dump)") { to };
        backup.SetAction((parsed, _) => Run(parsed, options, json,
            (reader, output) => BackupAsync(reader, output, parsed.GetValue(to)!)));

        journal.Subcommands.Add(rooms);
        journal.Subcommands.Add(room);
        journal.Subcommands.Add(events);
        journal.Subcommands.Add(verify);
        journal.Subcommands.Add(compact);
        journal.Subcommands.Add(backup);
        return journal;
    }

    private static async Task<int> Run(
        ParseResult parsed,
        JournalOptions options,
        Option<bool> json,
        Func<JournalReader, OpsOutput, Task<int>> command,
        bool writable = false)
    {
        try
        {
            var overrides = new HostOverrides(null, parsed.GetValue(options.Database), null, [], PostgresConnectionString: parsed.GetValue(options.Postgres))
                .WithEnvironment(Environment.GetEnvironmentVariable);
            var config = HoconLoader.Load(parsed.GetValue(options.HoconDirectory), overrides.ToConfig(), options.Configuration);
            await using var reader = JournalReader.Open(config, writable);
            return await command(reader, new OpsOutput(Console.Out, parsed.GetValue(json)));
        }
        catch (OpsException error)
        {
            await Console.Error.WriteLineAsync(error.Message);
            return error.ExitCode;
        }
        catch (ConfigurationException error)
        {
            await Console.Error.WriteLineAsync($"Configuration error: {error.Message}");
            return ExitCodes.Usage;
        }
        catch (Exception error) when (Cause<SqliteException>(error) is { SqliteErrorCode: 5 or 6 } locked) // SQLITE_BUSY, SQLITE_LOCKED
        {
            await Console.Error.WriteLineAsync($"The database is locked: {locked.Message}");
            return ExitCodes.Locked;
        }
        catch (Exception error) when (Cause<DbException>(error) is { } database)
        {
            // E.g. PostgreSQL is down, refuses the login or has no such database: its own words, not a stack trace.
            await Console.Error.WriteLineAsync($"The journal cannot be read: {database.Message}");
            return ExitCodes.Failed;
        }
    }

    private static async Task<int> RoomsAsync(JournalReader reader, OpsOutput output)
    {
        var reports = new List<RoomReport>();
        foreach (var room in (await reader.RoomKeysAsync()).Rooms)
            reports.Add((await reader.LoadRoomAsync(room)).Detail.Room);

        if (output.Json)
        {
            output.WriteJson(reports);
            return ExitCodes.Ok;
        }
        output.WriteTable(
            ["ROOM", "STATE", "SESSIONS", "LAST SEQ", "SNAPSHOT SEQ", "SNAPSHOT AGE", "JOURNAL ROWS"],
            reports.Select(r => (IReadOnlyList<string>)
            [
                r.Room.Value, r.State, r.Sessions.ToString(), r.LastSequenceNr.ToString(), r.SnapshotSequenceNr?.ToString() ?? "",
                OpsOutput.Age(r.SnapshotAt), r.JournalRows.ToString(),
            ]));
        return ExitCodes.Ok;
    }

    private static async Task<int> RoomAsync(JournalReader reader, OpsOutput output, string argument)
    {
        var detail = await KnownRoomAsync(reader, ParseRoom(argument));
        if (output.Json)
        {
            output.WriteJson(detail);
            return ExitCodes.Ok;
        }
        var room = detail.Room;
        output.WriteLine($"room {room.Room}: {room.Sessions} sessions, last sequence {room.LastSequenceNr}, " +
                         $"snapshot {room.SnapshotSequenceNr?.ToString() ?? "none"}, {room.JournalRows} journal rows, " +
                         $"auto-response {room.AutoResponse ?? "none"}");
        output.WriteLine($"storage keys: {(detail.StorageKeys.Count == 0 ? "none" : string.Join(", ", detail.StorageKeys))}");
        output.WriteLine();
        output.WriteTable(
            ["CONNECTION", "OPENED", "TAGS", "ATTACHMENT"],
            detail.Sessions.Select(s => (IReadOnlyList<string>)
                [s.ConnectionId.Value, s.OpenedAt.ToString("u"), string.Join(",", s.Tags), OpsOutput.Compact(s.Attachment)]));
        return ExitCodes.Ok;
    }

    private static async Task<int> EventsAsync(JournalReader reader, OpsOutput output, string argument, long from, bool follow, CancellationToken token)
    {
        var room = ParseRoom(argument);
        await KnownRoomAsync(reader, room);
        if (!output.Json)
            output.WriteTable(["SEQ", "WRITTEN", "EVENT"], []);
        var done = reader.Events(room, from, follow).RunForeach(evt =>
        {
            if (output.Json)
                output.WriteJsonLine(evt);
            else
                output.WriteLine($"{evt.SequenceNr}  {evt.Timestamp:u}  {evt.Type} {OpsOutput.Compact(evt.Event)}");
        }, reader.Materializer);
        try
        {
            await done.WaitAsync(token);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Ctrl-C ends --follow
        }
        return ExitCodes.Ok;
    }

    private static async Task<int> VerifyAsync(JournalReader reader, OpsOutput output)
    {
        var (rooms, invalid) = await reader.RoomKeysAsync();
        var problems = invalid.Select(id => new VerifyProblem(id, 0, "not a valid room key, so no room reads this journal")).ToList();
        foreach (var room in rooms)
            problems.AddRange((await reader.LoadRoomAsync(room)).Problems);

        if (output.Json)
            output.WriteJson(new { rooms = rooms.Count, problems });
        else if (problems.Count == 0)
            output.WriteLine($"ok: {rooms.Count} rooms replay to a valid state");
        else
            output.WriteTable(["PERSISTENCE ID", "SEQ", "PROBLEM"], problems.Select(p => (IReadOnlyList<string>)[p.PersistenceId, p.SequenceNr.ToString(), p.Problem]));
        return problems.Count == 0 ? ExitCodes.Ok : ExitCodes.Failed;
    }

    private static async Task<int> CompactAsync(JournalReader reader, OpsOutput output, RoomTypes roomTypes, bool force)
    {
        var lockedFile = reader.Store.LockedFile;
        using var serverLock = lockedFile is null ? null : ServerLock.TryAcquire(lockedFile);
        if (lockedFile is null && !force)
        {
            // No lock tells whether nodes share this database right now, so the safe default is to refuse.
            throw new OpsException(ExitCodes.Usage,
                $"{reader.Store.Description} has no server lock, so compact cannot tell whether nodes are running: stop " +
                "every node that uses it, then pass --force. Compacting beside a live node would write to rooms it owns.");
        }
        if (lockedFile is not null && serverLock is null && !force)
        {
            throw new OpsException(ExitCodes.Locked,
                $"A server holds {lockedFile} (lock file {ServerLock.PathFor(lockedFile)}): stop it first, " +
                "or pass --force if that lock is stale. Compacting beside a live server would write to rooms it owns.");
        }

        var before = new List<RoomReport>();
        foreach (var room in (await reader.RoomKeysAsync()).Rooms)
            before.Add((await reader.LoadRoomAsync(room)).Detail.Room);
        var toCompact = before.Where(r => r.JournalRows > 0 || r.Sessions > 0).ToList();

        // Each room wakes as it would in a server with no sockets: stale sessions are closed, then it snapshots
        // and deletes the rows the snapshot covers as it hibernates.
        var manager = reader.System.ActorOf(HibernationManager.Props(
            HibernationSettings.FromConfig(reader.System.Settings.Config),
            roomTypes,
            new ClientChannelRegistry(),
            new HibernationCounters()), "compaction");
        foreach (var room in toCompact)
            manager.Tell(new Wake(room.Room));
        await manager.Ask<AllHibernated>(HibernateAll.Instance, CompactionTimeout);

        var after = new List<RoomReport>();
        foreach (var room in toCompact)
            after.Add((await reader.LoadRoomAsync(room.Room)).Detail.Room);
        var results = toCompact.Zip(after, (b, a) => new
        {
            room = b.Room.Value, rowsBefore = b.JournalRows, rowsAfter = a.JournalRows, sessionsBefore = b.Sessions, sessionsAfter = a.Sessions,
        }).ToList();

        if (output.Json)
            output.WriteJson(results);
        else
            output.WriteTable(["ROOM", "ROWS BEFORE", "ROWS AFTER", "SESSIONS BEFORE", "SESSIONS AFTER"],
                results.Select(r => (IReadOnlyList<string>)
                    [r.room, r.rowsBefore.ToString(), r.rowsAfter.ToString(), r.sessionsBefore.ToString(), r.sessionsAfter.ToString()]));
        return ExitCodes.Ok;
    }

    private static Task<int> BackupAsync(JournalReader reader, OpsOutput output, string destination)
    {
        if (reader.Store is not SqliteJournalStore sqlite)
        {
            throw new OpsException(ExitCodes.Usage,
                $"backup copies a SQLite file; the journal is in {reader.Store.Description}: back it up with pg_dump");
        }
        var target = Path.GetFullPath(destination);
        if (File.Exists(target))
            throw new OpsException(ExitCodes.Usage, $"{target} already exists; a backup never overwrites a file");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);

        // sqlite3_backup copies pages under SQLite's own locking, so a live WAL database is copied consistently
        // (copying journal.db with cp could miss pages still in journal.db-wal).
        using (var source = new SqliteConnection(SqliteJournalStore.ConnectionString(sqlite.DatabasePath)))
        using (var copy = new SqliteConnection(SqliteJournalStore.ConnectionString(target)))
        {
            source.Open();
            copy.Open();
            source.BackupDatabase(copy);
        }
        SqliteConnection.ClearAllPools();
        var bytes = new FileInfo(target).Length;
        if (output.Json)
            output.WriteJson(new { backup = target, bytes });
        else
            output.WriteLine($"backed up {sqlite.DatabasePath} to {target} ({bytes} bytes)");
        return Task.FromResult(ExitCodes.Ok);
    }

    private static RoomKey ParseRoom(string argument) =>
        RoomKey.TryParse(argument, out var room, out var invalid)
            ? room
            : throw new OpsException(ExitCodes.Usage, $"'{argument}' is not a room: {invalid}");

    private static async Task<RoomDetail> KnownRoomAsync(JournalReader reader, RoomKey room)
    {
        if (!(await reader.RoomKeysAsync()).Rooms.Contains(room))
            throw new OpsException(ExitCodes.UnknownRoom, $"Room '{room}' has no journal in {reader.Store.Description}");
        return (await reader.LoadRoomAsync(room)).Detail;
    }

    /// <summary>The options every journal subcommand reads to find the journal, and the host's configuration under them.</summary>
    private sealed record JournalOptions(Option<string?> Database, Option<string?> Postgres, Option<string?> HoconDirectory, IConfiguration Configuration);

    /// <summary>The outermost <typeparamref name="T"/> in the chain of inner exceptions, or null.</summary>
    private static T? Cause<T>(Exception error) where T : Exception
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is T cause)
                return cause;
        }
        return null;
    }
}

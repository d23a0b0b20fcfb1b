using System.Text.Json;
using System.Text.RegularExpressions;
using AkkaHibernation.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace AkkaHibernation.Tests.EndToEnd;

/// <summary>
/// The <c>journal</c> commands of the real host binary against a journal that a real server wrote: two rooms,
/// "alpha" with two sessions and "beta" whose only session closed.
/// </summary>
[ProcessLevel]
public sealed partial class JournalCliSpecs(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TestDatabase _database = new();

    public async Task InitializeAsync()
    {
        var node = await TestNode.StartAsync(_database, output);
        var a1 = await TestClient.ConnectAsync(node.WebSocket("/rooms/alpha"));
        var a2 = await TestClient.ConnectAsync(node.WebSocket("/rooms/alpha"));
        var b1 = await TestClient.ConnectAsync(node.WebSocket("/rooms/beta"));
        await Seed.IdentifyAsync(a1);
        await a2.ReceiveAsync(2);
        await Seed.IdentifyAsync(b1);
        await b1.CloseAsync(1000, "done");
        await Eventually.TrueAsync(() => node.Node.Registry.Count == 2, "beta's socket released");
        // The server stops first, as in production: alpha's sessions stay in its snapshot until the next wake.
        await node.DisposeAsync();
        foreach (var client in new[] { a1, a2, b1 })
            await client.DisposeAsync();
    }

    public Task DisposeAsync()
    {
        _database.Dispose();
        return Task.CompletedTask;
    }

    private Task<(int ExitCode, string Stdout, string Output)> Journal(params string[] arguments) =>
        HostProcess.JournalAsync(_database, arguments);

    /// <summary>Volatile values (times, ids) become placeholders so the rest can be compared exactly.</summary>
    private static string Normalize(string json) =>
        Uuid().Replace(Hex32().Replace(Timestamp().Replace(json, "\"<time>\""), "<connection>"), "<uuid>");

    [Fact]
    public async Task Rooms_as_json_matches_the_golden_output()
    {
        var (exitCode, stdout, all) = await Journal("rooms", "--json");

        Assert.True(exitCode == 0, all);
        Assert.Equal("""
            [
              {
                "name": "alpha",
                "state": "sessions",
                "sessions": 2,
                "lastSequenceNr": 5,
                "snapshotSequenceNr": 5,
                "snapshotAt": "<time>",
                "journalRows": 1,
                "autoResponse": "ping -> pong"
              },
              {
                "name": "beta",
                "state": "empty",
                "sessions": 0,
                "lastSequenceNr": 4,
                "snapshotSequenceNr": 4,
                "snapshotAt": "<time>",
                "journalRows": 1,
                "autoResponse": "ping -> pong"
              }
            ]
            """, Normalize(stdout).Trim());
    }

    [Fact]
    public async Task Room_as_json_lists_sessions_with_their_attachments()
    {
        var (exitCode, stdout, all) = await Journal("room", "alpha", "--json");

        Assert.True(exitCode == 0, all);
        var sessions = JsonDocument.Parse(stdout).RootElement.GetProperty("sessions");
        Assert.Equal(2, sessions.GetArrayLength());
        foreach (var session in sessions.EnumerateArray())
            Assert.Matches(Uuid(), session.GetProperty("attachment").GetProperty("id").GetString()!);
    }

    [Fact]
    public async Task The_table_output_is_for_people()
    {
        var (exitCode, stdout, all) = await Journal("rooms");

        Assert.True(exitCode == 0, all);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("ROOM   STATE     SESSIONS  LAST SEQ  SNAPSHOT SEQ  SNAPSHOT AGE  JOURNAL ROWS", lines[0]);
        Assert.StartsWith("alpha  sessions  2         5         5", lines[2]);
        Assert.StartsWith("beta   empty     0         4         4", lines[3]);
        Assert.EndsWith("1", lines[2]);
    }

    [Fact]
    public async Task Events_reads_beside_a_live_server_and_follow_prints_new_events()
    {
        await using var node = await TestNode.StartAsync(_database, output);
        await using var first = await TestClient.ConnectAsync(node.WebSocket("/rooms/gamma"));
        await Seed.IdentifyAsync(first);

        // WAL: a read-only reader beside the running server.
        var (exitCode, stdout, all) = await Journal("events", "gamma", "--json", "--from", "2");
        Assert.True(exitCode == 0, all);
        var types = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("type").GetString()).ToList();
        Assert.Equal(["SessionOpened", "AttachmentChanged"], types);

        using var follower = HostProcess.Start("journal", "events", "gamma", "--follow", "--database", _database.Path);
        await Eventually.TrueAsync(() => follower.Stdout.Contains("AttachmentChanged"), "the existing events printed", TimeSpan.FromSeconds(30));
        await using var second = await TestClient.ConnectAsync(node.WebSocket("/rooms/gamma"));
        await Eventually.TrueAsync(
            () => follower.Stdout.Split('\n').Count(line => line.Contains("SessionOpened")) == 2,
            "the new session's event printed by --follow", TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Verify_passes_on_a_healthy_journal()
    {
        var (exitCode, stdout, all) = await Journal("verify");

        Assert.True(exitCode == 0, all);
        Assert.Equal("ok: 2 rooms replay to a valid state", stdout.Trim());
    }

    [Fact]
    public async Task Verify_fails_with_exit_code_1_naming_a_corrupted_row()
    {
        _database.Execute(
            "insert into journal (created, deleted, persistence_id, sequence_number, message, manifest, identifier, writer_uuid) " +
            "values (0, 0, 'room-alpha', 6, cast('{not json' as blob), 'SessionOpened.v1', 4711, 'corruption')");

        var (exitCode, stdout, all) = await Journal("verify", "--json");

        Assert.True(exitCode == 1, all);
        var problem = Assert.Single(JsonDocument.Parse(stdout).RootElement.GetProperty("problems").EnumerateArray());
        Assert.Equal("room-alpha", problem.GetProperty("persistenceId").GetString());
        Assert.Equal(6, problem.GetProperty("sequenceNr").GetInt64());
        Assert.StartsWith("row does not replay", problem.GetProperty("problem").GetString());
    }

    [Fact]
    public async Task An_unknown_room_exits_with_code_4()
    {
        var (exitCode, _, all) = await Journal("room", "nope");

        Assert.Equal(4, exitCode);
        Assert.Contains("Room 'nope' has no journal in ", all);
    }

    [Fact]
    public async Task A_room_argument_no_room_could_have_exits_with_code_2_saying_why()
    {
        var (exitCode, _, all) = await Journal("room", "chat:lob by");

        Assert.Equal(2, exitCode);
        Assert.Contains("'chat:lob by' is not a room: Room name may contain only letters", all);
    }

    [Fact]
    public async Task Verify_names_a_room_journal_whose_persistence_id_holds_no_valid_key_and_the_other_commands_skip_it()
    {
        _database.Execute(
            "insert into journal (created, deleted, persistence_id, sequence_number, message, manifest, identifier, writer_uuid) " +
            "values (0, 0, 'room-bad name', 1, cast('{\"connectionId\":\"c1\",\"code\":1000,\"reason\":\"\",\"wasClean\":true}' as blob), " +
            "'SessionClosed.v1', 4711, 'hand-written')");

        var (verifyCode, verifyOut, verifyAll) = await Journal("verify", "--json");
        var (roomsCode, roomsOut, roomsAll) = await Journal("rooms", "--json");

        Assert.True(verifyCode == 1, verifyAll);
        var problem = Assert.Single(JsonDocument.Parse(verifyOut).RootElement.GetProperty("problems").EnumerateArray());
        Assert.Equal(("room-bad name", "not a valid room key, so no room reads this journal"),
            (problem.GetProperty("persistenceId").GetString(), problem.GetProperty("problem").GetString()));
        Assert.True(roomsCode == 0, roomsAll);
        Assert.Equal(["alpha", "beta"], JsonDocument.Parse(roomsOut).RootElement.EnumerateArray().Select(room => room.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task A_missing_database_exits_with_code_3()
    {
        var (exitCode, _, all) = await HostProcess.RunAsync("journal", "rooms", "--database", _database.Path + ".missing");

        Assert.Equal(3, exitCode);
        Assert.Contains($"No journal database at {_database.Path}.missing", all);
    }

    [Fact]
    public async Task Compact_refuses_while_a_server_holds_the_database_and_compacts_after_it_stops()
    {
        using (var server = await HostProcess.StartListeningAsync("--listen", "http://127.0.0.1:{port}/", "--admin", "off", "--database", _database.Path))
        {
            var (refused, _, refusal) = await Journal("compact");
            Assert.Equal(5, refused);
            Assert.Contains("A server holds", refusal);
            server.Terminate();
            Assert.Equal(0, await server.ExitCodeAsync(TimeSpan.FromSeconds(30)));
        }

        var (exitCode, stdout, all) = await Journal("compact", "--json");

        Assert.True(exitCode == 0, all);
        var alpha = JsonDocument.Parse(stdout).RootElement.EnumerateArray().Single(r => r.GetProperty("room").GetString() == "alpha");
        Assert.Equal(1, alpha.GetProperty("rowsAfter").GetInt64()); // the newest event stays, covered by the snapshot
        Assert.Equal(0, alpha.GetProperty("sessionsAfter").GetInt32()); // no server, no sockets: stale sessions closed
    }

    [GeneratedRegex("\"\\d{4}-\\d{2}-\\d{2}T[^\"]+\"")]
    private static partial Regex Timestamp();

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")]
    private static partial Regex Uuid();

    [GeneratedRegex("\\b[0-9a-f]{32}\\b")]
    private static partial Regex Hex32();
}

using System.Diagnostics;
using System.Text.Json;
using AkkaHibernation.Actors.Rooms;
using AkkaHibernation.Ids;
using AkkaHibernation.Server.Journal;
using AkkaHibernation.Tests.Support;
using Npgsql;
using Xunit;
using Xunit.Abstractions;
using static AkkaHibernation.Tests.Support.Seed;

namespace AkkaHibernation.Tests.EndToEnd;

/// <summary>
/// The journal in PostgreSQL (provider postgresql): rooms hibernate into it and wake from it, the <c>journal</c>
/// commands read it, and a server that cannot reach it says so at start-up. Each test has a database of its own.
/// </summary>
[ProcessLevel]
[Collection(PostgresServer.Collection)]
public sealed class PostgresJournalSpecs(PostgresServer postgres, ITestOutputHelper output)
{
    private static Task<(int ExitCode, string Stdout, string Output)> Journal(string connectionString, params string[] arguments) =>
        HostProcess.RunAsync(["journal", .. arguments, "--postgres", connectionString]);

    /// <summary>A server on <paramref name="connectionString"/> whose room "alpha" had two sessions when it stopped.</summary>
    private async Task WriteRoomWithTwoSessionsAsync(string connectionString)
    {
        var node = await TestNode.StartOnPostgresAsync(connectionString, output);
        var a = await TestClient.ConnectAsync(node.WebSocket("/rooms/alpha"));
        var b = await TestClient.ConnectAsync(node.WebSocket("/rooms/alpha"));
        await IdentifyBothAsync(a, b);
        // The server stops first, as in production: the sessions stay in the room's snapshot until its next wake.
        await node.DisposeAsync();
        await a.DisposeAsync();
        await b.DisposeAsync();
    }

    [PostgresFact]
    public async Task An_idle_room_hibernates_into_PostgreSQL_and_wakes_from_its_snapshot_with_the_same_sessions()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var node = await TestNode.StartOnPostgresAsync(database, output, idleTimeout: "300ms");
        await using var a = await TestClient.ConnectAsync(node.WebSocket());
        await using var b = await TestClient.ConnectAsync(node.WebSocket());
        var (idA, idB) = await IdentifyBothAsync(a, b);
        await Eventually.TrueAsync(() => node.Node.RoomCounters.Resident == 0 && node.Node.RoomCounters.Hibernations > 0, "every room hibernated");
        var snapshots = await PostgresServer.CountAsync(database,
            $"select count(*) from snapshot where persistence_id = '{RoomKey.Default.PersistenceId}'");
        var wakes = node.Node.RoomCounters.Wakes;

        await b.SendAsync("good morning");

        Assert.Equal(1, snapshots);
        await ExpectBroadcastAsync("good morning", b, idB, a, total: 2);
        Assert.Equal(wakes + 1, node.Node.RoomCounters.Wakes);
        Assert.NotEqual(idA, idB);
    }

    [PostgresFact]
    public async Task Journal_rooms_and_room_read_the_PostgreSQL_journal()
    {
        var database = await postgres.CreateDatabaseAsync();
        await WriteRoomWithTwoSessionsAsync(database);

        var rooms = await Journal(database, "rooms", "--json");
        var room = await Journal(database, "room", "alpha", "--json");
        var table = await Journal(database, "rooms");

        Assert.True(rooms.ExitCode == 0, rooms.Output);
        var alpha = Assert.Single(JsonDocument.Parse(rooms.Stdout).RootElement.EnumerateArray());
        Assert.Equal("alpha", alpha.GetProperty("name").GetString());
        Assert.Equal("sessions", alpha.GetProperty("state").GetString());
        Assert.Equal(2, alpha.GetProperty("sessions").GetInt32());
        Assert.True(room.ExitCode == 0, room.Output);
        Assert.Equal(2, JsonDocument.Parse(room.Stdout).RootElement.GetProperty("sessions").GetArrayLength());
        Assert.True(table.ExitCode == 0, table.Output);
        Assert.StartsWith("alpha  sessions  2", table.Stdout.Split('\n')[2]);
    }

    [PostgresFact]
    public async Task Compact_needs_force_on_PostgreSQL_then_compacts_and_verify_replays()
    {
        var database = await postgres.CreateDatabaseAsync();
        await WriteRoomWithTwoSessionsAsync(database);

        var refused = await Journal(database, "compact");
        var compacted = await Journal(database, "compact", "--force", "--json");
        var verified = await Journal(database, "verify");

        Assert.True(refused.ExitCode == 2, refused.Output);
        Assert.Contains("has no server lock", refused.Output);
        Assert.True(compacted.ExitCode == 0, compacted.Output);
        var result = Assert.Single(JsonDocument.Parse(compacted.Stdout).RootElement.EnumerateArray());
        Assert.Equal(1, result.GetProperty("rowsAfter").GetInt64()); // the newest event stays, covered by the snapshot
        Assert.Equal(0, result.GetProperty("sessionsAfter").GetInt32()); // no server, no sockets: stale sessions closed
        Assert.True(verified.ExitCode == 0, verified.Output);
        Assert.Contains("ok: 1 rooms replay to a valid state", verified.Stdout);
    }

    [PostgresFact]
    public async Task Backup_on_PostgreSQL_points_to_pg_dump()
    {
        var (exitCode, _, all) = await Journal(await postgres.CreateDatabaseAsync(), "backup", Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.db"));

        Assert.True(exitCode == 2, all);
        Assert.Contains("pg_dump", all);
    }

    [PostgresFact]
    public async Task A_node_with_a_wrong_password_fails_to_start_naming_the_cause()
    {
        var database = new NpgsqlConnectionStringBuilder(await postgres.CreateDatabaseAsync()) { Password = "wrong" }.ToString();

        var error = await Assert.ThrowsAsync<JournalUnavailableException>(() => TestNode.StartOnPostgresAsync(database, output));

        Assert.Contains("password authentication failed", error.Message);
    }

    [Fact]
    public async Task The_host_stops_at_once_with_a_clear_error_when_PostgreSQL_is_unreachable()
    {
        var port = TestNode.FreePort(); // nothing listens there
        var started = Stopwatch.StartNew();

        var (exitCode, _, all) = await HostProcess.RunAsync("--listen", "http://127.0.0.1:{port}/", "--admin", "off",
            "--postgres", $"Host=127.0.0.1;Port={port};Database=journal;Username=app;Password=secret");

        Assert.True(exitCode == 1, all);
        Assert.Contains($"Cannot start: The journal (PostgreSQL database 'journal' on 127.0.0.1:{port}) cannot be used: " +
                        $"Failed to connect to 127.0.0.1:{port}", all);
        Assert.DoesNotContain("secret", all);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(15), $"took {started.Elapsed}, as if it waited for the warm-up timeout");
    }
}

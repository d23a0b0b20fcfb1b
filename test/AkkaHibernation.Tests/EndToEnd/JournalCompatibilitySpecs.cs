using System.Text.Json;
using AkkaHibernation.Samples.Chat;
using AkkaHibernation.Tests.Support;
using Xunit;
using Xunit.Abstractions;
using static AkkaHibernation.Tests.Support.Seed;

namespace AkkaHibernation.Tests.EndToEnd;

/// <summary>
/// A journal written by an earlier release (test/.../Fixtures/journal-2026-12-01.db, see its README) still loads: the
/// ops commands read its snapshots and the events after them, and a server wakes its rooms with their state.
/// </summary>
[ProcessLevel]
public sealed class JournalCompatibilitySpecs(ITestOutputHelper output) : IDisposable
{
    private static readonly string Fixture = Path.Combine(Script.RepositoryRoot, "test", "AkkaHibernation.Tests", "Fixtures", "journal-2026-12-01.db");

    private readonly TestDatabase _database = Copied();

    private static TestDatabase Copied()
    {
        var database = new TestDatabase();
        File.Copy(Fixture, database.Path);
        return database;
    }

    public void Dispose() => _database.Dispose();

    private async Task<JsonElement> RoomAsync(string room)
    {
        var (exitCode, stdout, all) = await HostProcess.JournalAsync(_database, "room", room, "--json");
        Assert.True(exitCode == 0, all);
        return JsonDocument.Parse(stdout).RootElement;
    }

    [Fact]
    public async Task The_ops_commands_read_the_old_snapshots_and_the_events_after_them()
    {
        var alpha = await RoomAsync("alpha");
        Assert.Equal((2, 8, 5), (alpha.GetProperty("room").GetProperty("sessions").GetInt32(),
            alpha.GetProperty("room").GetProperty("lastSequenceNr").GetInt32(),
            alpha.GetProperty("room").GetProperty("snapshotSequenceNr").GetInt32()));
        Assert.Equal(["8c814841-5ac5-42ed-be0c-823c42461e97", "cd9a1c33-eab5-455f-bef3-cb3b97e5ddca"],
            alpha.GetProperty("sessions").EnumerateArray().Select(session => session.GetProperty("attachment").GetProperty("id").GetString()));

        var lobby = await RoomAsync("chat:lobby");
        Assert.Equal(["line:000000000001", "next-id"], lobby.GetProperty("storageKeys").EnumerateArray().Select(key => key.GetString()));
        Assert.Equal("ann", lobby.GetProperty("sessions")[0].GetProperty("attachment").GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_server_wakes_the_old_rooms_with_their_state_and_without_the_old_processs_sessions()
    {
        await using var node = await TestNode.StartWithRoomsAsync(_database, output, ChatHosting.Rooms());

        await using var client = await TestClient.ConnectAsync(node.WebSocket("/rooms/alpha"));
        await client.SendAsync("after the upgrade");
        var echo = await client.ReceiveAsync();
        Assert.Equal(Line("after the upgrade", SessionIdOf(echo), Sender, 1), echo);

        await using var bob = await TestClient.ConnectAsync(node.WebSocket("/parties/chat/lobby?name=bob"));
        var welcome = Assert.IsType<ChatFrames.Welcome>(ChatFrames.Decode(await bob.ReceiveAsync()));
        Assert.Equal(["bob"], welcome.Members);
        Assert.Equal(("ann", "hi from the fixture"), (welcome.History.Single().Name, welcome.History.Single().Text));
    }
}

using System.Text.Json;
using AkkaHibernation.Tests.Support;
using Xunit;
using Xunit.Abstractions;
using static AkkaHibernation.Samples.Chat.ChatFrames;

namespace AkkaHibernation.Tests.Samples;

/// <summary>The <c>journal</c> commands on a room of a registered type: they name it by its key and compact it with its own behaviour.</summary>
[ProcessLevel]
public sealed class ChatJournalSpecs(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TestDatabase _database = new();

    public async Task InitializeAsync()
    {
        var node = await TestNode.StartWithRoomsAsync(_database, output, ChatHosting.Rooms());
        var alice = await TestClient.ConnectAsync(node.WebSocket("/parties/chat/lobby?name=alice"));
        await alice.ReceiveAsync(); // welcome
        await alice.SendAsync(Encode(new Say("kept through compaction")));
        await alice.ReceiveAsync();
        // The server stops first, as in production: alice's session stays in the journal until the room next wakes.
        await node.DisposeAsync();
        await alice.DisposeAsync();
    }

    public Task DisposeAsync()
    {
        _database.Dispose();
        return Task.CompletedTask;
    }

    // The chat sample's own program: its command line is the library's, and compact knows its room types.
    private Task<(int ExitCode, string Stdout, string Output)> Journal(params string[] arguments) =>
        HostProcess.JournalAsync(HostProcess.ChatSample, _database, arguments);

    [Fact]
    public async Task A_chat_room_is_listed_by_its_key_compacted_with_its_type_and_keeps_its_history()
    {
        var (roomExit, roomJson, roomAll) = await Journal("room", "chat:lobby", "--json");
        Assert.True(roomExit == 0, roomAll);
        var session = Assert.Single(JsonDocument.Parse(roomJson).RootElement.GetProperty("sessions").EnumerateArray());
        Assert.Equal("alice", session.GetProperty("attachment").GetProperty("name").GetString());

        var (compactExit, compactJson, compactAll) = await Journal("compact", "--json");
        Assert.True(compactExit == 0, compactAll);
        var lobby = JsonDocument.Parse(compactJson).RootElement.EnumerateArray().Single(r => r.GetProperty("room").GetString() == "chat:lobby");
        Assert.Equal(0, lobby.GetProperty("sessionsAfter").GetInt32());

        await using var node = await TestNode.StartWithRoomsAsync(_database, output, ChatHosting.Rooms());
        await using var bob = await TestClient.ConnectAsync(node.WebSocket("/parties/chat/lobby?name=bob"));
        var welcome = Assert.IsType<Welcome>(Decode(await bob.ReceiveAsync()));
        Assert.Equal(["bob"], welcome.Members);
        Assert.Equal(["kept through compaction"], welcome.History.Select(line => line.Text));
    }
}

using System.Net.WebSockets;
using AkkaHibernation.Tests.Support;
using Xunit;
using Xunit.Abstractions;
using static AkkaHibernation.Tests.Support.Seed;

namespace AkkaHibernation.Tests.EndToEnd;

/// <summary>
/// A journal write that fails (injected with an SQLite trigger that aborts inserts for one room, as a full disk
/// would): that room's clients get 1011, other rooms are unaffected, and once storage works again the room
/// recovers from its journal.
/// </summary>
public sealed class StorageFaultSpecs(ITestOutputHelper output)
    : NodeSpec(output, "10s", "akka-hibernation.transport.connect-timeout = 2s")
{
    [Fact]
    public async Task A_long_reader_does_not_stall_the_rooms_writes()
    {
        // An operator's query holding a read transaction open: in WAL mode, writers are not blocked by it.
        using var reader = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Database.Path};Pooling=False");
        reader.Open();
        using var transaction = reader.BeginTransaction(deferred: true);
        using (var query = reader.CreateCommand())
        {
            query.Transaction = transaction;
            query.CommandText = "select count(*) from journal";
            query.ExecuteScalar();
        }

        // The connect persists SessionOpened; were the write blocked, the upgrade would fail after this class's
        // 2 s connect-timeout instead of answering.
        var client = await Connect("/rooms/read-while-writing");
        var id = await IdentifyAsync(client);

        Assert.Matches("^[0-9a-f-]{36}$", id);
    }

    [Fact]
    public async Task A_failed_persist_closes_the_rooms_clients_with_1011_and_the_room_recovers_later()
    {
        var good = await Connect("/rooms/good");
        var victim = await Connect("/rooms/bad");
        await IdentifyAsync(good);
        await IdentifyAsync(victim);

        Database.Execute("""
            create trigger simulated_disk_full before insert on journal when new.persistence_id = 'room-bad'
            begin select raise(abort, 'simulated: database or disk is full'); end
            """);

        // The next write of room "bad" (a new session) fails.
        var failedUpgrade = await Assert.ThrowsAnyAsync<WebSocketException>(() => TestClient.ConnectAsync(Node.WebSocket("/rooms/bad")));
        Output.WriteLine($"upgrade during the fault: {failedUpgrade.Message}");

        var (status, reason) = await victim.ClosedByServerAsync();
        Assert.Equal(WebSocketCloseStatus.InternalServerError, status);
        Assert.Equal("Room failed; please reconnect", reason);

        await good.SendAsync("unaffected");
        var echo = await good.ReceiveAsync();
        Assert.Equal(Line("unaffected", SessionIdOf(echo), Sender, 1), echo);

        // Storage works again: the room recovers from its journal, and the closed session is not counted.
        Database.Execute("drop trigger simulated_disk_full");
        var back = await Connect("/rooms/bad");
        await back.SendAsync("recovered");
        var recovered = await back.ReceiveAsync();
        Assert.Equal(Line("recovered", SessionIdOf(recovered), Sender, 1), recovered);
    }
}

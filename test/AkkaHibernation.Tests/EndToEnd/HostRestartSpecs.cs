using AkkaHibernation.Tests.Support;
using Xunit;
using Xunit.Abstractions;
using static AkkaHibernation.Tests.Support.Seed;

namespace AkkaHibernation.Tests.EndToEnd;

/// <summary>After a restart the old process's sockets are gone: their sessions are closed in the journal and not counted.</summary>
public sealed class HostRestartSpecs(ITestOutputHelper output) : IDisposable
{
    private readonly TestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Sessions_of_a_previous_process_are_not_counted_after_a_restart()
    {
        await using (var first = await TestNode.StartAsync(_database, output))
        {
            await using var a = await TestClient.ConnectAsync(first.WebSocket());
            await using var b = await TestClient.ConnectAsync(first.WebSocket());
            await IdentifyAsync(a);
            await b.ReceiveAsync(2);
            await IdentifyAsync(b);
        }

        await using var second = await TestNode.StartAsync(_database, output);
        await using var c = await TestClient.ConnectAsync(second.WebSocket());
        await c.SendAsync("fresh start");
        var echo = await c.ReceiveAsync();

        Assert.Equal(Line("fresh start", SessionIdOf(echo), Sender, 1), echo);
        await second.Node.StopAsync();
        var closedAsGone = _database.Query(
            "select count(*) from journal where manifest = 'SessionClosed.v1' and cast(message as text) like '%\"code\":1006%'");
        var openSessionsInSnapshot = _database.Query(
            "select json_array_length(json_extract(cast(snapshot as text), '$.sessions')) from snapshot where persistence_id = 'room-foo' order by sequence_number desc limit 1");
        output.WriteLine($"SessionClosed(1006) rows still in the journal: {closedAsGone[0]}");
        // The last snapshot (taken at the second shutdown) holds c only: a and b were closed as gone on waking.
        Assert.Equal("1", openSessionsInSnapshot.Single());
    }
}

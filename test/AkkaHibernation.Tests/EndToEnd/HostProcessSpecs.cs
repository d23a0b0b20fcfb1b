using System.Net.WebSockets;
using AkkaHibernation.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace AkkaHibernation.Tests.EndToEnd;

/// <summary>The console host as a process: command-line errors, and a graceful stop on SIGTERM.</summary>
[ProcessLevel]
public sealed class HostProcessSpecs(ITestOutputHelper output) : IDisposable
{
    private readonly TestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task SIGTERM_closes_sockets_with_1001_snapshots_rooms_and_exits_cleanly_in_bounded_time()
    {
        using var host = await HostProcess.StartListeningAsync("--listen", "http://127.0.0.1:{port}/", "--admin", "off", "--database", _database.Path);
        try
        {
            await using var client = await TestClient.ConnectAsync(new Uri($"ws://127.0.0.1:{host.Port}/websocket"));
            await Seed.IdentifyAsync(client);

            host.Terminate();

            var (status, reason) = await client.ClosedByServerAsync();
            Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, status);
            Assert.Equal("Server is shutting down", reason);
            Assert.Equal(0, await host.ExitCodeAsync(TimeSpan.FromSeconds(30)));
            Assert.Contains("Every room has hibernated", host.Output);
            Assert.Single(_database.Query("select sequence_number from snapshot where persistence_id = 'room-foo'"));
        }
        finally
        {
            output.WriteLine(host.Output);
        }
    }

    [Fact]
    public async Task An_invalid_idle_timeout_exits_with_code_2_and_says_why()
    {
        using var host = HostProcess.Start("--idle-timeout", "soon", "--admin", "off", "--database", _database.Path);

        Assert.Equal(2, await host.ExitCodeAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("Configuration error: Idle timeout 'soon' is not a positive duration such as 10s or 500ms", host.Output);
    }

    [Fact]
    public async Task A_port_in_use_exits_with_code_1_and_says_why()
    {
        using var first = await HostProcess.StartListeningAsync("--listen", "http://127.0.0.1:{port}/", "--admin", "off", "--database", _database.Path);
        using var second = HostProcess.Start(first.Port, "--listen", "http://127.0.0.1:{port}/", "--admin", "off", "--database", _database.Path + ".2");

        Assert.Equal(1, await second.ExitCodeAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("Cannot start:", second.Output);
        first.Terminate();
        Assert.Equal(0, await first.ExitCodeAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task An_unknown_option_is_refused_with_a_message()
    {
        using var host = HostProcess.Start("--no-such-option");

        Assert.NotEqual(0, await host.ExitCodeAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("--no-such-option", host.Output);
    }
}

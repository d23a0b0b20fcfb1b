using Akka.Configuration;
using AkkaHibernation.Server.Configuration;
using AkkaHibernation.Server.Journal;
using AkkaHibernation.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace AkkaHibernation.Tests.Journal;

/// <summary>
/// After the start the node runs a wake's path on its own warm-up id, round after round in the background, in idle
/// time only, reading only; it ends on its own and with the node. (What it buys, the wakes' time, is measured in
/// bench/, not here.) The specs that want rounds to run let any load count as idle (a test run is never idle).
/// </summary>
public sealed class WakeWarmupSpecs(ITestOutputHelper output) : IDisposable
{
    private const string AnyLoadIsIdle = "akka-hibernation.host.wake-warmup.max-cpu = 1000";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly TestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task The_rounds_run_after_the_start_and_read_the_warm_up_id_without_writing_to_it()
    {
        await using var node = await Start("rounds = 5, interval = 20ms", AnyLoadIsIdle);
        var seeded = WarmupRows.Read(_database);

        await Warmup(node).Finished.WaitAsync(Bound);

        Assert.Equal(5, Warmup(node).RoundsRun);
        Assert.Equal(seeded, WarmupRows.Read(_database));
    }

    [Fact]
    public async Task A_round_waits_while_the_process_is_busier_than_max_cpu()
    {
        // No process runs on a millionth of a core: every interval counts as busy.
        await using var node = await Start("rounds = 5, interval = 20ms, max-cpu = 0.000001");

        await Eventually.TrueAsync(() => Warmup(node).IntervalsSkipped >= 5, "five intervals skipped as busy");

        Assert.Equal(0, Warmup(node).RoundsRun);
    }

    [Fact]
    public async Task A_node_that_stops_ends_its_warm_up_rounds_with_it()
    {
        var node = await Start("rounds = 100000, interval = 10ms", AnyLoadIsIdle);
        await Eventually.TrueAsync(() => Warmup(node).RoundsRun >= 2, "two warm-up rounds run");

        await node.DisposeAsync();

        Assert.True(Warmup(node).Finished.IsCompletedSuccessfully);
        Assert.InRange(Warmup(node).RoundsRun, 2, 99_999);
    }

    [Fact]
    public async Task Rounds_zero_turns_it_off()
    {
        await using var node = await Start("rounds = 0");

        Assert.Null(node.Node.WakeWarmup);
    }

    [Theory]
    [InlineData("rounds = -1")]
    [InlineData("interval = 0s")]
    [InlineData("max-cpu = 0")]
    public void A_bad_setting_is_a_configuration_error_that_names_it(string setting)
    {
        var config = HoconLoader.Load(HoconLoader.DefaultDirectory,
            new HostOverrides(null, null, null, [$"{WakeWarmupSettings.ConfigPath} {{ {setting} }}"]).ToConfig());

        var error = Assert.Throws<ConfigurationException>(() => WakeWarmupSettings.FromConfig(config));

        Assert.Contains(WakeWarmupSettings.ConfigPath, error.Message);
    }

    private Task<TestNode> Start(string settings, params string[] more) =>
        TestNode.StartAsync(_database, output, "10s", [$"{WakeWarmupSettings.ConfigPath} {{ {settings} }}", .. more]);

    private static WakeWarmup Warmup(TestNode node) => node.Node.WakeWarmup ?? throw new InvalidOperationException("The warm-up is off");
}

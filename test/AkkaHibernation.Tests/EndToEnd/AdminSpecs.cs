using System.Net;
using AkkaHibernation.Tests.Support;
using Xunit;
using Xunit.Abstractions;
using static AkkaHibernation.Tests.Support.MetricsText;

namespace AkkaHibernation.Tests.EndToEnd;

/// <summary>Meters are process-wide, so the metrics spec runs alone: no other node may add to its counters.</summary>
[CollectionDefinition(nameof(AdminSpecs), DisableParallelization = true)]
public sealed class AdminCollection;

/// <summary>/healthz, /readyz and /metrics on the admin prefix, scraped after a scripted session.</summary>
[Collection(nameof(AdminSpecs))]
public sealed class AdminSpecs(ITestOutputHelper output) : NodeSpec(output, idleTimeout: "300ms")
{
    private readonly HttpClient _http = new();

    public override async Task DisposeAsync()
    {
        _http.Dispose();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task Health_and_readiness_answer_on_the_admin_prefix()
    {
        Assert.Equal("ok\n", await _http.GetStringAsync(Node.Admin("/healthz")));
        Assert.Equal("ready\n", await _http.GetStringAsync(Node.Admin("/readyz")));
        using var missing = await _http.GetAsync(Node.Admin("/nope"));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Metrics_count_what_a_scripted_session_did()
    {
        // Histograms live in the exporter for the whole process, so compare them before and after; the other
        // instruments are read from this node's live meter.
        var before = await _http.GetStringAsync(Node.Admin("/metrics"));
        var a = await Connect("/rooms/metrics");
        var b = await Connect("/rooms/metrics");
        await Seed.IdentifyAsync(a);
        await b.ReceiveAsync(2);
        await Eventually.TrueAsync(() => Node.Node.RoomCounters.Hibernated == 1, "the room hibernated");
        await a.SendAsync("ping");
        Assert.Equal("pong", await a.ReceiveAsync());
        await a.SendAsync("wake up");
        await a.ReceiveAsync(2);
        await b.ReceiveAsync(2);

        // A frame is counted once its send returns, which can be a moment after the client has read it.
        var metrics = "";
        await Eventually.TrueAsync(async () =>
        {
            metrics = await _http.GetStringAsync(Node.Admin("/metrics"));
            return Sample(metrics, "akkahibernation_frames_out") >= 9;
        }, "every frame written is counted");
        Output.WriteLine(metrics);

        Assert.Equal(2, Sample(metrics, "akkahibernation_connections_open"));
        Assert.Equal(2, Sample(metrics, "akkahibernation_frames_in"));
        Assert.Equal(1, Sample(metrics, "akkahibernation_autoresponses"));
        // The room slept at least once (the test waited for it); on a loaded machine it may also have slept between
        // the two connects, so count wakes against hibernations: every sleep but the room's current stay ended in a wake.
        var hibernations = Sample(metrics, "akkahibernation_rooms_hibernations");
        Assert.True(hibernations >= 1, $"hibernations: {hibernations}");
        Assert.Equal(hibernations + 1, Sample(metrics, "akkahibernation_rooms_wakes"));
        Assert.Equal(1, Sample(metrics, "akkahibernation_rooms_resident"));
        Assert.Equal(0, Sample(metrics, "akkahibernation_rooms_hibernated"));
        Assert.True(Sample(metrics, "akkahibernation_bytes_out") >= 9 * 2, "every frame has at least a 2-byte header");
        Assert.Equal(0, Sample(metrics, "akkahibernation_frames_compressed")); // these clients offer no permessage-deflate
        Assert.Equal(0, Sample(metrics, "akkahibernation_compression_saved_bytes"));
        Assert.Equal(hibernations + 1, Sample(metrics, "akkahibernation_rooms_wake_duration_ms_count") - (SampleOrNull(before, "akkahibernation_rooms_wake_duration_ms_count") ?? 0));
        Assert.True(Sample(metrics, "akkahibernation_journal_write_duration_ms_count") - (SampleOrNull(before, "akkahibernation_journal_write_duration_ms_count") ?? 0) >= 2);
    }
}

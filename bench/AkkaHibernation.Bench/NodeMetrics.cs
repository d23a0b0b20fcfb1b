using System.Diagnostics;
using System.Globalization;

namespace AkkaHibernation.Bench;

/// <summary>
/// A host's admin <c>/metrics</c>, read by scenarios that need the node's own view: how many rooms are resident and
/// have hibernated, its garbage collections, its managed heap. The host must run with its admin listener on
/// <see cref="Settings"/>' port.
/// </summary>
public sealed class NodeMetrics : IDisposable
{
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromMinutes(2);
    private readonly HttpClient _http;

    public NodeMetrics()
    {
        var port = FreePort.Find();
        Settings = ["akka-hibernation.admin.enabled = on", $"akka-hibernation.admin.prefixes = [\"http://127.0.0.1:{port}/\"]"];
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
    }

    /// <summary>The HOCON settings that turn the host's admin listener on where this reads it.</summary>
    public string[] Settings { get; }

    public async Task<Snapshot> ReadAsync() => new(await _http.GetStringAsync("metrics"));

    /// <summary>Waits until no room is resident and at least <paramref name="hibernations"/> hibernations were counted.</summary>
    public async Task<Snapshot> WaitAllAsleepAsync(long hibernations)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var sample = await ReadAsync();
            if (sample.RoomsResident == 0 && sample.Hibernations >= hibernations)
                return sample;
            if (deadline.Elapsed > SettleTimeout)
                throw new TimeoutException($"Rooms did not all hibernate within {SettleTimeout} ({sample.RoomsResident} resident, " +
                                           $"{sample.Hibernations} of {hibernations} hibernations)");
            await Task.Delay(200);
        }
    }

    /// <summary>Waits until the node has run a full collection since <paramref name="before"/>, and returns what it left.</summary>
    public async Task<Snapshot> WaitFullCollectionAsync(Snapshot before)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var sample = await ReadAsync();
            if (sample.FullCollections > before.FullCollections)
                return sample;
            if (deadline.Elapsed > SettleTimeout)
                throw new TimeoutException($"The node ran no full collection within {SettleTimeout} after its rooms slept");
            await Task.Delay(200);
        }
    }

    public void Dispose() => _http.Dispose();

    /// <summary>One read of <c>/metrics</c>.</summary>
    public sealed class Snapshot(string text)
    {
        public long RoomsResident => (long)Sample("akkahibernation_rooms_resident");
        public long Hibernations => (long)Sample("akkahibernation_rooms_hibernations");
        public long HibernatedGauge => (long)Sample("akkahibernation_rooms_hibernated");
        public long FullCollections => (long)Sample("dotnet_collection_count_total{generation=\"2\"}");
        public long ManagedHeapBytes => (long)Sample("dotnet_total_memory_bytes");

        private double Sample(string name)
        {
            var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(name + " ", StringComparison.Ordinal))
                       ?? throw new InvalidOperationException($"/metrics has no sample {name}");
            return double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
        }
    }
}

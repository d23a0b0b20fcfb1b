using System.IO.Compression;
using Akka.Configuration;

namespace AkkaHibernation.Transport.Compression;

/// <summary>permessage-deflate (RFC 7692) settings, read from <c>akka-hibernation.transport.compression</c>.</summary>
/// <param name="Enabled">Whether the server accepts a client's permessage-deflate offer at all.</param>
/// <param name="ThresholdBytes">Outbound messages shorter than this go uncompressed (deflate costs more than it saves on them).</param>
/// <param name="Level">How hard the server compresses: <c>fastest</c>, <c>optimal</c> or <c>smallest</c>.</param>
public sealed record CompressionSettings(bool Enabled, int ThresholdBytes, CompressionLevel Level)
{
    /// <summary>The HOCON path below <see cref="TransportSettings.ConfigPath"/>.</summary>
    public const string ConfigKey = "compression";

    /// <summary>Compression turned off: every offer is declined.</summary>
    public static CompressionSettings Off { get; } = new(false, int.MaxValue, CompressionLevel.Fastest);

    /// <summary>Reads the section; <paramref name="path"/> names it in errors.</summary>
    public static CompressionSettings FromConfig(Config section, string path)
    {
        var level = section.GetString("level") switch
        {
            "fastest" => CompressionLevel.Fastest,
            "optimal" => CompressionLevel.Optimal,
            "smallest" => CompressionLevel.SmallestSize,
            var other => throw new ConfigurationException($"{path}.level = {other} is not one of fastest, optimal, smallest"),
        };
        var threshold = section.GetByteSize("threshold-bytes")!.Value;
        if (threshold < 0 || threshold > int.MaxValue)
            throw new ConfigurationException($"{path}.threshold-bytes = {threshold} is out of range");
        return new CompressionSettings(section.GetBoolean("enabled"), (int)threshold, level);
    }
}

using System.Net;
using Akka.Configuration;
using AkkaHibernation.Transport.Access;
using AkkaHibernation.Transport.Compression;

namespace AkkaHibernation.Transport;

/// <summary>HttpListener transport settings, read once from <c>akka-hibernation.transport</c>.</summary>
/// <param name="Prefixes">HttpListener prefixes to listen on (each with a trailing slash).</param>
/// <param name="MaxMessageBytes">Largest message a client may send; larger ones close the socket with 1009.</param>
/// <param name="ReceiveBufferBytes">Per-socket receive buffer; a message larger than this is assembled from several reads.</param>
/// <param name="OutboundQueueFrames">Frames queued for one socket before it counts as a slow consumer and is closed.</param>
/// <param name="CloseHandshakeTimeout">How long a close handshake may take before the TCP connection is dropped.</param>
/// <param name="ConnectTimeout">How long an upgrade waits for the room to accept before it gets 503.</param>
/// <param name="ShutdownTimeout">How long shutdown waits for clients to answer the 1001 close.</param>
/// <param name="HeartbeatInterval">A socket silent this long gets a protocol ping; zero turns heartbeats off.</param>
/// <param name="HeartbeatTimeout">A pinged socket that stays silent this long is a dead peer: closed as 1006.</param>
/// <param name="MaxConnections">Open WebSocket connections the node accepts; further upgrades get 503.</param>
/// <param name="MaxConnectionsPerIp">Open WebSocket connections one client address may hold; further upgrades get 429.</param>
/// <param name="AllowedOrigins">Origins allowed to upgrade (exact match on the Origin header); empty allows any.</param>
/// <param name="MaxUnacknowledgedMessages">Cluster mode: messages one socket may have sent that its room has not yet confirmed; past it the socket is closed with 1013.</param>
/// <param name="RedeliveryInterval">Cluster mode: how long a socket's messages stay unconfirmed before it sends them again.</param>
/// <param name="Compression">permessage-deflate: whether it is offered back to clients, and for which messages.</param>
/// <param name="TrustedProxies">
/// Proxies whose forwarding headers name the client (<see cref="Access.ClientAddress"/>); empty: every peer is the client.
/// </param>
public sealed record TransportSettings(
    IReadOnlyList<string> Prefixes,
    int MaxMessageBytes,
    int ReceiveBufferBytes,
    int OutboundQueueFrames,
    TimeSpan CloseHandshakeTimeout,
    TimeSpan ConnectTimeout,
    TimeSpan ShutdownTimeout,
    TimeSpan HeartbeatInterval,
    TimeSpan HeartbeatTimeout,
    int MaxConnections,
    int MaxConnectionsPerIp,
    IReadOnlyList<string> AllowedOrigins,
    int MaxUnacknowledgedMessages,
    TimeSpan RedeliveryInterval,
    CompressionSettings Compression,
    IReadOnlyList<IPNetwork> TrustedProxies)
{
    /// <summary>The HOCON path these settings live under.</summary>
    public const string ConfigPath = "akka-hibernation.transport";

    /// <summary>Reads the settings; every key must be present (defaults live in <c>hocon/transport.hocon</c>).</summary>
    public static TransportSettings FromConfig(Config root)
    {
        var c = root.GetConfig(ConfigPath) ?? throw new ConfigurationException($"Missing HOCON section {ConfigPath}");
        var settings = new TransportSettings(
            c.GetStringList("prefixes").ToList(),
            checked((int)c.GetByteSize("max-message-bytes")!.Value),
            checked((int)c.GetByteSize("receive-buffer-bytes")!.Value),
            c.GetInt("outbound-queue-frames"),
            c.GetTimeSpan("close-handshake-timeout"),
            c.GetTimeSpan("connect-timeout"),
            c.GetTimeSpan("shutdown-timeout"),
            c.GetTimeSpan("heartbeat-interval"),
            c.GetTimeSpan("heartbeat-timeout"),
            c.GetInt("max-connections"),
            c.GetInt("max-connections-per-ip"),
            c.GetStringList("allowed-origins").ToList(),
            c.GetInt("max-unacknowledged-messages"),
            c.GetTimeSpan("redelivery-interval"),
            CompressionSettings.FromConfig(
                c.GetConfig(CompressionSettings.ConfigKey) ?? throw new ConfigurationException($"Missing HOCON section {ConfigPath}.{CompressionSettings.ConfigKey}"),
                $"{ConfigPath}.{CompressionSettings.ConfigKey}"),
            TrustedProxiesOf(c));
        return settings.Validated();
    }

    private TransportSettings Validated()
    {
        if (Prefixes.Count == 0) throw Invalid("prefixes", "[]");
        foreach (var prefix in Prefixes)
        {
            if (!prefix.EndsWith('/') || !prefix.StartsWith("http://", StringComparison.Ordinal))
                throw Invalid("prefixes", $"'{prefix}' (need http://host:port/ with a trailing slash)");
        }
        if (MaxMessageBytes < 1) throw Invalid("max-message-bytes", MaxMessageBytes);
        if (ReceiveBufferBytes < 256) throw Invalid("receive-buffer-bytes", ReceiveBufferBytes);
        if (OutboundQueueFrames < 1) throw Invalid("outbound-queue-frames", OutboundQueueFrames);
        if (CloseHandshakeTimeout <= TimeSpan.Zero) throw Invalid("close-handshake-timeout", CloseHandshakeTimeout);
        if (ConnectTimeout <= TimeSpan.Zero) throw Invalid("connect-timeout", ConnectTimeout);
        if (ShutdownTimeout <= TimeSpan.Zero) throw Invalid("shutdown-timeout", ShutdownTimeout);
        if (HeartbeatInterval < TimeSpan.Zero) throw Invalid("heartbeat-interval", HeartbeatInterval);
        if (HeartbeatTimeout <= TimeSpan.Zero) throw Invalid("heartbeat-timeout", HeartbeatTimeout);
        if (MaxConnections < 1) throw Invalid("max-connections", MaxConnections);
        if (MaxConnectionsPerIp < 1) throw Invalid("max-connections-per-ip", MaxConnectionsPerIp);
        if (MaxUnacknowledgedMessages < 1) throw Invalid("max-unacknowledged-messages", MaxUnacknowledgedMessages);
        if (RedeliveryInterval <= TimeSpan.Zero) throw Invalid("redelivery-interval", RedeliveryInterval);
        return this;
    }

    private static IReadOnlyList<IPNetwork> TrustedProxiesOf(Config c)
    {
        try
        {
            return ClientAddress.ParseTrusted(c.GetStringList("trusted-proxies"));
        }
        catch (FormatException invalid)
        {
            throw new ConfigurationException($"{ConfigPath}.trusted-proxies: {invalid.Message}");
        }
    }

    private static ConfigurationException Invalid(string key, object value) =>
        new($"{ConfigPath}.{key} = {value} is out of range");
}

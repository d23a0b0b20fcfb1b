using Akka.Configuration;

namespace AkkaHibernation.Actors.Hibernation;

/// <summary>Room lifecycle and limit settings, read once from <c>akka-hibernation.rooms</c>.</summary>
/// <param name="IdleTimeout">A room with no event for this long snapshots and passivates.</param>
/// <param name="SnapshotEvery">
/// A resident room also snapshots after this many events (or after as many as it has sessions, when that is more), so
/// the journal stays bounded.
/// </param>
/// <param name="MaxConnectionsPerRoom">Connections one room accepts; further upgrades get 503.</param>
/// <param name="MaxAttachmentBytes">Largest serialized attachment per socket.</param>
/// <param name="MaxResidentRooms">Rooms kept in memory at once; past this the least recently used one hibernates (0: no cap).</param>
/// <param name="MaxTagsPerSocket">Tags one socket may carry.</param>
/// <param name="MaxTagBytes">Longest tag, in UTF-8 bytes.</param>
/// <param name="MaxAutoResponseBytes">Longest auto-response request or response, in UTF-8 bytes.</param>
/// <param name="MaxStorageKeyBytes">Longest storage key, in UTF-8 bytes.</param>
/// <param name="MaxStorageValueBytes">Largest serialized storage value.</param>
/// <param name="AlarmRetryBackoff">Wait before the first retry of a failed alarm; doubles with each retry.</param>
/// <param name="AlarmMaxRetries">Retries of a failing alarm before it is dropped (and logged).</param>
/// <param name="EventHandlerTimeout">Longest a behaviour handler may run; one that overruns fails as if it had thrown.</param>
public sealed record HibernationSettings(
    TimeSpan IdleTimeout,
    int SnapshotEvery,
    int MaxConnectionsPerRoom,
    int MaxAttachmentBytes,
    int MaxResidentRooms = 0,
    int MaxTagsPerSocket = 10,
    int MaxTagBytes = 256,
    int MaxAutoResponseBytes = 2048,
    int MaxStorageKeyBytes = 2048,
    int MaxStorageValueBytes = 131072,
    TimeSpan? AlarmRetryBackoff = null,
    int AlarmMaxRetries = 6,
    TimeSpan? EventHandlerTimeout = null)
{
    /// <summary>Longest a behaviour handler may run (30 s unless set, Cloudflare's CPU limit per invocation).</summary>
    public TimeSpan HandlerTimeout => EventHandlerTimeout ?? TimeSpan.FromSeconds(30);

    /// <summary>Wait before the first retry of a failed alarm (1 s unless set).</summary>
    public TimeSpan AlarmBackoff => AlarmRetryBackoff ?? TimeSpan.FromSeconds(1);

    /// <summary>The HOCON path these settings live under.</summary>
    public const string ConfigPath = "akka-hibernation.rooms";

    /// <summary>Reads the settings from the <c>akka-hibernation.rooms</c> section; every key must be present.</summary>
    public static HibernationSettings FromConfig(Config root)
    {
        var c = root.GetConfig(ConfigPath)
                ?? throw new ConfigurationException($"Missing HOCON section {ConfigPath}");
        var settings = new HibernationSettings(
            c.GetTimeSpan("idle-timeout"),
            c.GetInt("snapshot-every"),
            c.GetInt("max-connections-per-room"),
            c.GetInt("max-attachment-bytes"),
            c.GetInt("max-resident-rooms"),
            c.GetInt("max-tags-per-socket"),
            c.GetInt("max-tag-bytes"),
            c.GetInt("max-auto-response-bytes"),
            c.GetInt("storage.max-key-bytes"),
            c.GetInt("storage.max-value-bytes"),
            c.GetTimeSpan("alarm.retry-backoff"),
            c.GetInt("alarm.max-retries"),
            c.GetTimeSpan("handler-timeout"));
        return settings.Validated();
    }

    private HibernationSettings Validated()
    {
        if (IdleTimeout <= TimeSpan.Zero) throw Invalid("idle-timeout", IdleTimeout);
        if (SnapshotEvery < 1) throw Invalid("snapshot-every", SnapshotEvery);
        if (MaxConnectionsPerRoom < 1) throw Invalid("max-connections-per-room", MaxConnectionsPerRoom);
        if (MaxAttachmentBytes < 2) throw Invalid("max-attachment-bytes", MaxAttachmentBytes);
        if (MaxResidentRooms < 0) throw Invalid("max-resident-rooms", MaxResidentRooms);
        if (MaxTagsPerSocket < 0) throw Invalid("max-tags-per-socket", MaxTagsPerSocket);
        if (MaxTagBytes < 1) throw Invalid("max-tag-bytes", MaxTagBytes);
        if (MaxAutoResponseBytes < 1) throw Invalid("max-auto-response-bytes", MaxAutoResponseBytes);
        if (MaxStorageKeyBytes < 1) throw Invalid("storage.max-key-bytes", MaxStorageKeyBytes);
        if (MaxStorageValueBytes < 1) throw Invalid("storage.max-value-bytes", MaxStorageValueBytes);
        if (HandlerTimeout <= TimeSpan.Zero) throw Invalid("handler-timeout", HandlerTimeout);
        return this;
    }

    private static ConfigurationException Invalid(string key, object value) =>
        new($"{ConfigPath}.{key} = {value} is out of range");
}

namespace AkkaHibernation.Samples.Chat;

/// <summary>How a chat room behaves, bound from the configuration section <see cref="Section"/> (appsettings.json, or
/// environment variables such as <c>Chat__HistoryLimit</c>).</summary>
public sealed class ChatOptions
{
    /// <summary>The configuration section the options are read from.</summary>
    public const string Section = "Chat";

    /// <summary>Messages kept in the room's storage and sent to each newcomer.</summary>
    public int HistoryLimit { get; set; } = 50;

    /// <summary>Longest message, in characters; longer ones are refused with an error frame.</summary>
    public int MaxMessageLength { get; set; } = 1000;

    /// <summary>
    /// How often the room posts its announcement. The room's alarm fires on whole multiples of this since the Unix epoch,
    /// so the default of one day posts at midnight UTC.
    /// </summary>
    public TimeSpan AnnouncementInterval { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Why options that are not <see cref="IsValid"/> cannot run a room.</summary>
    public const string Invalid = $"{Section}: HistoryLimit, MaxMessageLength and AnnouncementInterval must be positive";

    /// <summary>Whether these options can run a room.</summary>
    public bool IsValid => HistoryLimit >= 1 && MaxMessageLength >= 1 && AnnouncementInterval > TimeSpan.Zero;
}

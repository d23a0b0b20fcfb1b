namespace AkkaHibernation.Samples.Chat;

/// <summary>How a chat room behaves; the host reads these from <c>akka-hibernation.demo</c>.</summary>
/// <param name="HistoryLimit">Messages kept in the room's storage and sent to each newcomer.</param>
/// <param name="MaxMessageLength">Longest message, in characters; longer ones are refused with an error frame.</param>
/// <param name="AnnouncementInterval">
/// How often the room posts its announcement. The room's alarm fires on whole multiples of this since the Unix epoch,
/// so the default of one day posts at midnight UTC.
/// </param>
public sealed record ChatOptions(int HistoryLimit = 50, int MaxMessageLength = 1000, TimeSpan? AnnouncementInterval = null)
{
    /// <summary>The announcement interval (one day unless set).</summary>
    public TimeSpan Announcements => AnnouncementInterval ?? TimeSpan.FromDays(1);
}

namespace AkkaHibernation.Samples.Chat;

/// <summary>One message of the room's history, as stored and as sent.</summary>
/// <param name="Id">Position in the room's history, from 1.</param>
/// <param name="Name">Who wrote it; <see cref="ChatRoom.SystemName"/> for the room's own announcements.</param>
/// <param name="Text">The message.</param>
/// <param name="At">When the room received it.</param>
public sealed record ChatLine(long Id, string Name, string Text, DateTimeOffset At);

namespace AkkaHibernation.Actors.Sessions;

/// <summary>How a socket ended: the close code (1005: none given, 1006: vanished), the reason, and whether the close was clean.</summary>
public sealed record ChannelEnd(int Code, string Reason, bool WasClean);

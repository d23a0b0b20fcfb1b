namespace AkkaHibernation.Transport.Takeover;

/// <summary>A takeover could not be done: nothing of the running server was changed (it goes on serving), and this process exits.</summary>
public sealed class TakeoverFailedException(string message) : Exception(message);

namespace AkkaHibernation.Server.Journal;

/// <summary>The journal could not be reached or read at start-up; the message names the store and the cause.</summary>
public sealed class JournalUnavailableException(string message, Exception? cause = null) : Exception(message, cause);

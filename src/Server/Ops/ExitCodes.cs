namespace AkkaHibernation.Server.Ops;

/// <summary>The exit codes of the host and its ops commands, documented in docs/OPERATIONS.md.</summary>
public static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;

    /// <summary>The server could not start, or <c>journal verify</c> found invalid rows.</summary>
    public const int Failed = 1;

    /// <summary>Invalid settings or arguments.</summary>
    public const int Usage = 2;

    /// <summary>The database file does not exist.</summary>
    public const int DatabaseMissing = 3;

    /// <summary>The named room has no journal.</summary>
    public const int UnknownRoom = 4;

    /// <summary>The database is locked by a server or another writer.</summary>
    public const int Locked = 5;
}

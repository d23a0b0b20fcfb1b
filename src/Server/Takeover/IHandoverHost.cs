using AkkaHibernation.Server.Node;
using AkkaHibernation.Transport;

namespace AkkaHibernation.Server.Takeover;

/// <summary>What a running node lends its <see cref="TakeoverListener"/> to hand itself over, or to take itself back.</summary>
internal interface IHandoverHost
{
    /// <summary>The node's transport.</summary>
    WebSocketServer Server { get; }

    /// <summary>The node's rooms (takeovers are for a single node).</summary>
    SingleNodeRooms Rooms { get; }

    /// <summary>Unbinds the admin endpoints, so the new process can bind them.</summary>
    Task StopAdminAsync();

    /// <summary>Binds the admin endpoints again (the takeover was abandoned).</summary>
    void StartAdmin();

    /// <summary>Lets go of the journal's lock file, for the new process to take.</summary>
    void ReleaseJournal();

    /// <summary>Takes the journal's lock back (the takeover was abandoned); false if the new process still holds it after <paramref name="timeout"/>.</summary>
    Task<bool> TakeJournalBackAsync(TimeSpan timeout);

    /// <summary>Every socket went to process <paramref name="newProcessId"/>: this process stops (and exits 0).</summary>
    void HandedOver(int newProcessId);
}

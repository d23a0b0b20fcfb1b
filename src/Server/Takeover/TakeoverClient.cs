using System.Diagnostics;
using AkkaHibernation.Server.Journal;
using AkkaHibernation.Server.Node;
using AkkaHibernation.Transport;
using AkkaHibernation.Transport.Takeover;
using Microsoft.Extensions.Logging;
using static AkkaHibernation.Transport.Takeover.TakeoverMessage;

namespace AkkaHibernation.Server.Takeover;

/// <summary>
/// The new process's side of a takeover (<c>--takeover</c>): ask the server running on the journal to hand over,
/// adopt its sockets (registered, not run), take the journal and bind the prefixes, say ready, and at the commit run
/// the rooms and the sockets. Until the commit nothing here reads a socket or runs a room, so an abort leaves the old
/// process everything as it was.
/// </summary>
internal static class TakeoverClient
{
    /// <summary>What a takeover gave this process.</summary>
    /// <param name="Lock">The journal's lock, taken from the old process.</param>
    /// <param name="Sockets">Sockets adopted.</param>
    /// <param name="Elapsed">From asking to the commit.</param>
    /// <param name="RefusedWindow">How long the prefixes were bound by neither process.</param>
    public sealed record Outcome(ServerLock? Lock, int Sockets, TimeSpan Elapsed, TimeSpan RefusedWindow);

    /// <summary>Why this node cannot take over, or null when it can.</summary>
    public static string? Unsupported(TakeoverSettings settings, bool clustered) =>
        !OperatingSystem.IsLinux()
            ? "--takeover needs Linux: open sockets pass between processes as SCM_RIGHTS descriptors"
            : clustered
                ? "--takeover is for a single node; in cluster mode, roll nodes one at a time (docs/OPERATIONS.md)"
                : settings.ControlSocket is null
                    ? $"no control socket is configured ({TakeoverSettings.ConfigPath}.control-socket), so no server on this journal can be taken over"
                    : null;

    /// <summary>
    /// Takes over from the server listening on <paramref name="settings"/>' control socket. On return the adopted
    /// sockets are registered with <paramref name="server"/> and the prefixes bound; the caller releases the rooms and
    /// serves. Throws <see cref="TakeoverFailedException"/> when it cannot (the old process serves on).
    /// </summary>
    public static async Task<Outcome> TakeOverAsync(
        TakeoverSettings settings, JournalStore journal, WebSocketServer server, ILogger log)
    {
        var elapsed = Stopwatch.StartNew();
        var path = settings.ControlSocket!;
        using var link = TakeoverLink.TryConnect(path)
                         ?? throw new TakeoverFailedException($"No server is running on this journal: nothing listens on {path}");
        ServerLock? journalLock = null;
        try
        {
            link.Send(new Hello(Environment.ProcessId));
            log.LogInformation("Asked the server on {ControlSocket} (process {Pid}) to hand its sockets over", path, link.Peer.ProcessId);
            var sent = await server.AdoptAsync(link, settings.StepTimeout + settings.HibernateTimeout + settings.FreezeTimeout * 2);
            journalLock = await TakeJournalAsync(journal, settings.StepTimeout);
            link.Send(new Adopted(sent.Sockets));
            log.LogInformation("Adopted {Count} sockets and took the journal; waiting for the listen prefixes", sent.Sockets);
            var released = await ExpectAsync<PrefixesReleased>(link, settings.StepTimeout);
            server.Bind();
            var refusedWindow = DateTimeOffset.UtcNow - released.At;
            link.Send(new Ready());
            await ExpectAsync<Commit>(link, settings.StepTimeout);
            return new Outcome(journalLock, sent.Sockets, elapsed.Elapsed, refusedWindow);
        }
        catch (Exception error) when (error is IOException or TimeoutException or TakeoverFailedException or System.Net.HttpListenerException)
        {
            server.DiscardAdopted();
            journalLock?.Dispose();
            TrySend(link, new Abort(error.Message));
            throw error as TakeoverFailedException ?? new TakeoverFailedException($"The takeover failed: {error.Message}");
        }
    }

    /// <summary>The old process's next message, which must be a <typeparamref name="T"/>.</summary>
    private static async Task<T> ExpectAsync<T>(TakeoverLink link, TimeSpan timeout) where T : TakeoverMessage =>
        await link.ReceiveAsync(timeout) switch
        {
            T expected => expected,
            Abort abort => throw new TakeoverFailedException($"The running server abandoned the takeover: {abort.Reason}"),
            var other => throw new TakeoverFailedException($"Expected {typeof(T).Name}, got {other.GetType().Name}"),
        };

    /// <summary>The old process let go of the lock before it said so; a moment's retry covers a slow file system.</summary>
    private static async Task<ServerLock?> TakeJournalAsync(JournalStore journal, TimeSpan timeout) =>
        journal.LockedFile is not { } file
            ? null
            : await ServerLock.AcquireWithinAsync(file, timeout)
              ?? throw new TakeoverFailedException($"The running server did not let go of {ServerLock.PathFor(file)}");

    private static void TrySend(TakeoverLink link, TakeoverMessage message)
    {
        try
        {
            link.Send(message);
        }
        catch (IOException)
        {
            // The old process is gone or has given up already.
        }
    }
}

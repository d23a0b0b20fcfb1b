using System.Diagnostics;
using System.Net.Sockets;
using AkkaHibernation.Transport.Takeover;
using Microsoft.Extensions.Logging;
using static AkkaHibernation.Transport.Takeover.TakeoverMessage;

namespace AkkaHibernation.Server.Takeover;

/// <summary>
/// The running server's side of a takeover. It listens on the control socket (a Unix domain socket, mode 0600) and
/// serves one takeover at a time, from a process of its own user only (the kernel's <c>SO_PEERCRED</c>). The hand-over:
/// refuse new upgrades and park every socket's reader at a frame boundary; hibernate every room and hold whatever
/// arrives; park the writers; release the journal and the admin and listen prefixes; send each socket with its state.
/// When the new process is ready, commit: its sockets are no longer ours, and this process stops. If anything fails
/// before that, take everything back and serve on: the new process has read no socket and run no room.
/// </summary>
internal sealed class TakeoverListener : IAsyncDisposable
{
    private const string RefusalWhileHandingOver = "Server is handing its sockets to a new process; retry in a moment";

    private readonly TakeoverSettings _settings;
    private readonly IHandoverHost _host;
    private readonly uint _allowedUser;
    private readonly ILogger _log;
    private readonly Socket _socket;
    private readonly CancellationTokenSource _stopping = new();
    private readonly string _path;
    private Task _loop = Task.CompletedTask;
    private bool _handedOver;

    private TakeoverListener(TakeoverSettings settings, Socket socket, string path, IHandoverHost host, uint allowedUser, ILogger log)
    {
        _socket = socket;
        _settings = settings;
        _path = path;
        _host = host;
        _allowedUser = allowedUser;
        _log = log;
    }

    /// <summary>
    /// Listens on <paramref name="path"/> for a takeover by a process of user <paramref name="allowedUser"/> (this
    /// process's own, but for specs). A file already there is replaced: a stale socket of a server that died, or the
    /// control socket of the server this process took over. This process holds the journal, so no live server serves
    /// takeovers there any more.
    /// </summary>
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public static TakeoverListener Start(TakeoverSettings settings, string path, IHandoverHost host, uint allowedUser, ILogger log)
    {
        var listener = new TakeoverListener(settings, TakeoverLink.Listen(path, backlog: 4), path, host, allowedUser, log);
        listener._loop = Task.Run(listener.AcceptLoopAsync);
        log.LogInformation("A new process can take this server's sockets over through {ControlSocket} (--takeover)", path);
        return listener;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _socket.Dispose();
        await _loop;
        // After a hand-over the path is the new process's control socket.
        if (!_handedOver)
            File.Delete(_path);
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested && !_handedOver)
        {
            Socket accepted;
            try
            {
                accepted = await _socket.AcceptAsync(_stopping.Token);
            }
            catch (Exception error) when (error is OperationCanceledException or ObjectDisposedException or SocketException && _stopping.IsCancellationRequested)
            {
                return;
            }
            using var link = TakeoverLink.Accepted(accepted);
            try
            {
                await ServeAsync(link);
            }
            catch (Exception error)
            {
                _log.LogError(error, "A takeover failed unexpectedly");
            }
        }
    }

    private async Task ServeAsync(TakeoverLink link)
    {
        var peer = link.Peer;
        // The hello is read first either way: a link closed with a message unread would be reset, losing the answer.
        TakeoverMessage hello;
        try
        {
            hello = await link.ReceiveAsync(_settings.StepTimeout);
        }
        catch (Exception error) when (error is IOException or TimeoutException)
        {
            _log.LogWarning("Process {Pid} connected for a takeover but never asked ({Reason}); nothing changed", peer.ProcessId, error.Message);
            return;
        }
        if (peer.UserId != _allowedUser)
        {
            _log.LogWarning("Refused a takeover by process {Pid} of user {Uid}: only user {Allowed} may take this server over",
                peer.ProcessId, peer.UserId, _allowedUser);
            link.Send(new Refused($"Process {peer.ProcessId} runs as user {peer.UserId}; only user {_allowedUser} may take this server over"));
            return;
        }
        if (hello is not Hello)
        {
            link.Send(new Refused($"Expected hello, got {hello.GetType().Name}"));
            return;
        }
        await HandOverAsync(link, peer.ProcessId);
    }

    private async Task HandOverAsync(TakeoverLink link, int newProcess)
    {
        var elapsed = Stopwatch.StartNew();
        _log.LogInformation("Process {Pid} is taking this server over: parking every socket", newProcess);
        var sockets = await _host.Server.FreezeAsync(RefusalWhileHandingOver, _settings.FreezeTimeout);
        var readersParked = elapsed.ElapsedMilliseconds;
        if (sockets.NotParked > 0)
        {
            _log.LogWarning("{Count} sockets did not reach a frame boundary within {Timeout} ({Sample}); they stay with this process and are closed with 1001 when it stops",
                sockets.NotParked, _settings.FreezeTimeout, sockets.NotParkedSample);
        }
        if (!await _host.Rooms.HoldAsync(_settings.HibernateTimeout))
        {
            await AbandonAsync(link, sockets, $"rooms did not hibernate within {_settings.HibernateTimeout}", releasedJournal: false, listening: true);
            return;
        }
        var roomsHeld = elapsed.ElapsedMilliseconds;
        await sockets.PauseWritersAsync(_settings.FreezeTimeout);
        var writersParked = elapsed.ElapsedMilliseconds;
        await _host.StopAdminAsync();
        _host.ReleaseJournal();

        string reason;
        var listening = true;
        try
        {
            var sent = sockets.Send(link);
            link.Send(new SocketsSent(sent));
            var socketsSent = elapsed.ElapsedMilliseconds;
            var adopted = await link.ReceiveAsync(_settings.StepTimeout);
            _log.LogInformation(
                "Hand-over so far: readers parked at {Readers} ms, rooms hibernated at {Rooms} ms, writers parked at {Writers} ms, sockets sent at {Sent} ms, adopted at {Adopted} ms",
                readersParked, roomsHeld, writersParked, socketsSent, elapsed.ElapsedMilliseconds);
            if (adopted is Adopted { Sockets: var count } && count == sent)
            {
                // Only now are the prefixes unbound, so new connections are refused for as short a time as possible:
                // until the new process, which has adopted everything already, binds them.
                await _host.Server.StopListeningAsync();
                listening = false;
                link.Send(new PrefixesReleased(DateTimeOffset.UtcNow));
                var ready = await link.ReceiveAsync(_settings.StepTimeout);
                if (ready is Ready)
                {
                    link.Send(new Commit());
                    sockets.Commit();
                    _handedOver = true;
                    _log.LogInformation("Handed {Count} sockets over to process {Pid} in {Elapsed} ms; this process stops now",
                        sent, newProcess, elapsed.ElapsedMilliseconds);
                    _host.HandedOver(newProcess);
                    return;
                }
                adopted = ready;
            }
            reason = adopted switch
            {
                Abort abort => abort.Reason,
                Adopted other => $"it adopted {other.Sockets} of {sent} sockets",
                _ => $"it answered {adopted.GetType().Name}",
            };
        }
        catch (Exception error) when (error is IOException or TimeoutException)
        {
            reason = error.Message;
        }
        await AbandonAsync(link, sockets, reason, releasedJournal: true, listening);
    }

    /// <summary>Binds the prefixes again, waiting (up to the step timeout) for a new process that is still letting go of them.</summary>
    private async Task ListenAgainAsync()
    {
        var deadline = DateTime.UtcNow + _settings.StepTimeout;
        while (true)
        {
            try
            {
                _host.Server.ResumeListening();
                return;
            }
            catch (System.Net.HttpListenerException error) when (DateTime.UtcNow < deadline)
            {
                _log.LogInformation("The listen prefixes are not free yet ({Error}); trying again", error.Message);
                await Task.Delay(50);
            }
        }
    }

    /// <summary>
    /// Takes everything back and serves on: the new process is told (if it still listens) and has until it lets go of
    /// the journal and the prefixes (it exits, or is gone already) before they are taken back.
    /// </summary>
    private async Task AbandonAsync(TakeoverLink link, HandoverSockets sockets, string reason, bool releasedJournal, bool listening)
    {
        _log.LogWarning("Takeover abandoned ({Reason}); this process serves on", reason);
        try
        {
            link.Send(new Abort(reason));
            await link.ReceiveAsync(_settings.StepTimeout); // returns only by the new process closing the link (IOException)
        }
        catch (Exception error) when (error is IOException or TimeoutException)
        {
            // Gone, or going.
        }
        if (releasedJournal && !await _host.TakeJournalBackAsync(_settings.StepTimeout))
            _log.LogError("The journal's lock is still held by the process that tried to take over; this process serves on without it");
        if (!listening)
            await ListenAgainAsync();
        if (releasedJournal)
            _host.StartAdmin();
        _host.Rooms.Release();
        sockets.Resume();
        _host.Server.AdmitUpgrades();
        _log.LogInformation("Serving on after the abandoned takeover: {Count} sockets resumed", sockets.Parked + sockets.NotParked);
    }
}

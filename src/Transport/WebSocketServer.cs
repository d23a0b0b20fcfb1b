using System.Net;
using Akka.Actor;
using AkkaHibernation.Ids;
using AkkaHibernation.Transport.Access;
using AkkaHibernation.Transport.Http;
using AkkaHibernation.Transport.Routing;
using AkkaHibernation.Transport.Sockets;
using AkkaHibernation.Transport.Takeover;
using AkkaHibernation.Transport.Upgrades;
using Microsoft.Extensions.Logging;

namespace AkkaHibernation.Transport;

/// <summary>
/// The HttpListener front door: accepts requests, routes them (<see cref="RequestRouter"/>), answers plain HTTP as the
/// seed's Worker does (<see cref="HttpResponses"/>; the seed: the reference Worker and Durable Object this server
/// ports), hands upgrades to <see cref="UpgradeAdmission"/>, runs the sweeps over all sockets
/// (<see cref="ChannelSweeps"/>) and closes every socket with 1001 when it stops. For a takeover it parks its sockets
/// and hands them to another process (<see cref="FreezeAsync"/>), or adopts another's (<see cref="AdoptAsync"/>).
/// </summary>
public sealed class WebSocketServer : IAsyncDisposable
{
    private readonly ClientChannelRegistry _registry;
    private readonly TransportSettings _settings;
    private readonly ILogger _log;
    private readonly RouteTable _routes;
    private readonly bool _clustered;
    private readonly HttpResponses _responses;
    private readonly UpgradeAdmission _upgrades;
    private readonly TransportCounters _counters;
    private readonly ChannelSweeps _sweeps;
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<(WebSocketChannel Channel, System.Net.Sockets.Socket Socket, ChannelHandover State)> _adopted = [];
    private CancellationTokenSource _accepting = new();
    private Task _acceptLoop = Task.CompletedTask;
    private bool _started;
    private bool _handedOverPrefixes;

    /// <summary>
    /// Creates a server that routes sockets to rooms through <paramref name="manager"/>; <paramref name="routes"/>
    /// adds room types and static sites to the seed's routes; <paramref name="authorizer"/>, if any, vets every upgrade.
    /// In cluster mode, <paramref name="edge"/> is this node's edge actor path, given to rooms with every upgrade so
    /// they reach the socket from any node.
    /// </summary>
    public WebSocketServer(
        IActorRef manager,
        ClientChannelRegistry registry,
        TransportSettings settings,
        TransportCounters counters,
        ILoggerFactory loggerFactory,
        RouteTable? routes = null,
        IConnectionAuthorizer? authorizer = null,
        EdgeAddress? edge = null)
    {
        _registry = registry;
        _settings = settings;
        _counters = counters;
        _routes = routes ?? RouteTable.SeedOnly;
        _clustered = edge is not null;
        _log = loggerFactory.CreateLogger<WebSocketServer>();
        _responses = new HttpResponses(counters, _log);
        _upgrades = new UpgradeAdmission(manager, registry, settings, counters, loggerFactory, _responses, authorizer, edge);
        _sweeps = new ChannelSweeps(registry, settings, counters, _log);
    }

    /// <summary>Starts listening on every configured prefix, and serving.</summary>
    /// <exception cref="PlatformNotSupportedException">The transport cannot run on this platform (Windows) or runtime.</exception>
    public void Start()
    {
        Bind();
        Serve();
    }

    /// <summary>
    /// Binds every configured prefix without accepting yet: connections wait in the kernel's backlog until
    /// <see cref="Serve"/> (a process taking over binds as soon as the old one has let go, and serves at the commit).
    /// </summary>
    /// <exception cref="PlatformNotSupportedException">The transport cannot run on this platform (Windows) or runtime.</exception>
    public void Bind()
    {
        if (TcpSocketAccess.Unsupported(OperatingSystem.IsWindows(), TcpSocketAccess.IsAvailable) is { } unsupported)
            throw new PlatformNotSupportedException(unsupported);
        foreach (var prefix in _settings.Prefixes)
            _listener.Prefixes.Add(prefix);
        ListenerEndpoints.Bind(_listener, _settings.Prefixes);
        _listener.Start();
        _started = true;
    }

    /// <summary>Accepts requests, runs the sweeps, and runs the sockets adopted from the process taken over, if any.</summary>
    public void Serve()
    {
        foreach (var (channel, socket, state) in _adopted)
            _upgrades.RunAdopted(channel, socket, IPAddress.Parse(state.Client), state);
        _adopted.Clear();
        _acceptLoop = Task.Run(() => AcceptLoopAsync(_accepting.Token));
        _sweeps.Start(redeliver: _clustered, _stopping.Token);
        _log.LogInformation("Listening on {Prefixes}", string.Join(", ", _settings.Prefixes));
    }

    /// <summary>
    /// Old process, first step of a hand-over: refuses new upgrades (503, <paramref name="reason"/>), waits for those
    /// under way (within the connect timeout), then parks every open socket's reader at its next frame boundary; those
    /// not parked within <paramref name="timeout"/> are left running.
    /// </summary>
    public async Task<HandoverSockets> FreezeAsync(string reason, TimeSpan timeout)
    {
        _upgrades.Refusal = reason;
        // An upgrade under way is bounded by the connect timeout (the room's answer) and is short after it.
        var upgradesDone = DateTime.UtcNow + _settings.ConnectTimeout + TimeSpan.FromSeconds(1);
        while (_upgrades.InFlight > 0 && DateTime.UtcNow < upgradesDone)
            await Task.Delay(5);
        var open = _registry.All.Where(channel => channel.IsOpenAndRunning).ToList();
        var readers = open.ToDictionary(channel => channel, channel => channel.PauseReadingAsync());
        await Task.WhenAny(Task.WhenAll(readers.Values), Task.Delay(timeout));
        var parked = open.Where(channel => readers[channel].IsCompleted).ToList();
        return new HandoverSockets(parked, open.Except(parked).ToList(), _log);
    }

    /// <summary>Old process: unbinds the listen prefixes so the new process can bind them; the open sockets are untouched.</summary>
    public async Task StopListeningAsync()
    {
        await _accepting.CancelAsync();
        _listener.Stop();
        await _acceptLoop;
        _handedOverPrefixes = true;
    }

    /// <summary>Old process, the hand-over abandoned: binds the prefixes again and admits upgrades again.</summary>
    public void ResumeListening()
    {
        if (!_listener.IsListening)
        {
            ListenerEndpoints.Bind(_listener, _settings.Prefixes);
            _listener.Start();
        }
        _handedOverPrefixes = false;
        _accepting = new CancellationTokenSource();
        _acceptLoop = Task.Run(() => AcceptLoopAsync(_accepting.Token));
        _upgrades.Refusal = null;
        _log.LogInformation("Listening again on {Prefixes}", string.Join(", ", _settings.Prefixes));
    }

    /// <summary>Old process, the hand-over abandoned before the prefixes were unbound: admits upgrades again.</summary>
    public void AdmitUpgrades() => _upgrades.Refusal = null;

    /// <summary>
    /// New process: receives the old one's sockets over <paramref name="link"/> until it says all are sent, and
    /// registers a channel for each (so a waking room finds its sessions alive) without running any yet; they run at
    /// <see cref="Serve"/>. Returns the old process's last word.
    /// </summary>
    /// <exception cref="TakeoverFailedException">The old process refused or abandoned the takeover.</exception>
    public async Task<TakeoverMessage.SocketsSent> AdoptAsync(TakeoverLink link, TimeSpan timeout)
    {
        while (true)
        {
            var (message, descriptors) = await link.ReceiveWithDescriptorsAsync(timeout);
            switch (message)
            {
                case SocketBatch batch when batch.Channels.Count == descriptors.Length:
                    for (var i = 0; i < descriptors.Length; i++)
                    {
                        var socket = new System.Net.Sockets.Socket(new System.Net.Sockets.SafeSocketHandle(descriptors[i], ownsHandle: true));
                        _adopted.Add((_upgrades.Register(batch.Channels[i]), socket, batch.Channels[i]));
                        _counters.ConnectionAdopted();
                    }
                    break;
                case TakeoverMessage.SocketsSent sent:
                    return sent;
                case TakeoverMessage.Refused refused:
                    throw new TakeoverFailedException($"The running server refused: {refused.Reason}");
                case TakeoverMessage.Abort abort:
                    throw new TakeoverFailedException($"The running server abandoned the takeover: {abort.Reason}");
                default:
                    foreach (var descriptor in descriptors)
                        DescriptorPassing.Close(descriptor);
                    throw new TakeoverFailedException($"Unexpected takeover message {message.GetType().Name} with {descriptors.Length} descriptors");
            }
        }
    }

    /// <summary>
    /// New process, the takeover abandoned before the commit: forgets the adopted sockets without a byte read or
    /// written, and closes its copies (plainly: nothing was ever pending on them), so the old process goes on with them.
    /// </summary>
    public void DiscardAdopted()
    {
        foreach (var (channel, socket, _) in _adopted)
        {
            _registry.Remove(channel.ConnectionId);
            socket.Dispose();
        }
        _adopted.Clear();
    }

    /// <summary>
    /// Stops accepting, closes every socket with 1001 and waits (up to the shutdown timeout) for clients to answer.
    /// </summary>
    public async Task StopAsync()
    {
        if (_stopping.IsCancellationRequested)
            return;
        _stopping.Cancel();
        if (!_started)
        {
            // Start failed (e.g. the port is taken): release whatever prefixes it registered. Close looks the taken
            // port up again and fails on it, which must not stop the failed start's cleanup.
            ListenerRelease.Close(_listener, _settings.Prefixes, _log);
            return;
        }
        DiscardAdopted();
        await _accepting.CancelAsync();
        _listener.Stop();
        await _acceptLoop;
        await _sweeps.Stopped;
        var channels = _registry.All;
        _log.LogInformation("Closing {Count} sockets with 1001", channels.Count);
        // In cluster mode the rooms outlive this node and must hear that its sockets went away.
        var closing = Task.WhenAll(channels.Select(channel => channel.CloseForShutdownAsync(tellRoom: _clustered)));
        await Task.WhenAny(closing, Task.Delay(_settings.ShutdownTimeout));
        // The sockets are closed by now. After a hand-over the prefixes are another process's: closing the listener
        // would look them up again, bind them for a moment, and fail.
        if (!_handedOverPrefixes)
            ListenerRelease.Close(_listener, _settings.Prefixes, _log);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync(CancellationToken accepting)
    {
        while (!accepting.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (accepting.IsCancellationRequested)
            {
                return;
            }
            catch (HttpListenerException error)
            {
                _log.LogWarning(error, "Accepting a request failed");
                continue;
            }
            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        try
        {
            var decision = RequestRouter.Route(request.HttpMethod, request.RawUrl ?? "/", name => request.Headers[name], _routes);
            switch (decision)
            {
                case RouteDecision.Respond reply:
                    if (reply.Status >= 400)
                    {
                        _log.LogInformation("Rejected {Method} {Url} from {Remote}: {Status} {Reason}",
                            request.HttpMethod, request.RawUrl, request.RemoteEndPoint, reply.Status, reply.Body);
                    }
                    await _responses.RespondAsync(context, reply);
                    break;
                case RouteDecision.ServeFile serve:
                    await HttpResponses.WriteAsync(context, 200, serve.File.ContentType, serve.File.Content,
                        new Dictionary<string, string> { ["Cache-Control"] = "no-cache" });
                    break;
                case RouteDecision.Upgrade upgrade:
                    await _upgrades.AdmitAsync(context, upgrade.Room, _stopping.Token);
                    break;
            }
        }
        catch (Exception error)
        {
            _log.LogError(error, "Request {Method} {Url} failed", request.HttpMethod, request.RawUrl);
            await _responses.TryRespondAsync(context, 500, "Internal server error");
        }
    }
}

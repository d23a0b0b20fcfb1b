using System.Net;
using System.Text;
using Akka.Actor;
using AkkaHibernation.Actors.Behaviours;
using AkkaHibernation.Transport.Access;
using AkkaHibernation.Transport.Compression;
using AkkaHibernation.Transport.Routing;
using AkkaHibernation.Transport.Sockets;
using Microsoft.Extensions.Logging;
using static AkkaHibernation.Actors.Rooms.RoomProtocol;

namespace AkkaHibernation.Transport;

/// <summary>
/// The HttpListener front door: answers plain HTTP as the seed's Worker does, asks the room to accept each valid
/// upgrade before completing it (writing the 101 itself, with the room's subprotocol and the negotiated
/// permessage-deflate), then hands the socket to a <see cref="WebSocketChannel"/>.
/// </summary>
public sealed class WebSocketServer : IAsyncDisposable
{
    private readonly IActorRef _manager;
    private readonly ClientChannelRegistry _registry;
    private readonly TransportSettings _settings;
    private readonly TransportCounters _counters;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _log;
    private readonly IConnectionAuthorizer? _authorizer;
    private readonly RouteTable _routes;
    private readonly string? _edge;
    private readonly ConnectionLimiter _limiter;
    private readonly DirectInbound _directInbound;
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stopping = new();
    private Task _acceptLoop = Task.CompletedTask;
    private Task _heartbeat = Task.CompletedTask;
    private Task _redelivery = Task.CompletedTask;
    private bool _started;

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
        string? edge = null)
    {
        _edge = edge;
        _routes = routes ?? RouteTable.SeedOnly;
        _authorizer = authorizer;
        _limiter = new ConnectionLimiter(settings.MaxConnections, settings.MaxConnectionsPerIp);
        _manager = manager;
        _directInbound = new DirectInbound(manager);
        _registry = registry;
        _settings = settings;
        _counters = counters;
        _loggerFactory = loggerFactory;
        _log = loggerFactory.CreateLogger<WebSocketServer>();
    }

    /// <summary>Starts listening on every configured prefix.</summary>
    public void Start()
    {
        if (!TcpSocketAccess.IsAvailable)
        {
            _log.LogError("This runtime's HttpListener no longer exposes its TCP socket: upgrades will be refused with 500; " +
                          "please report this with your .NET version");
        }
        foreach (var prefix in _settings.Prefixes)
            _listener.Prefixes.Add(prefix);
        _listener.Start();
        _started = true;
        _acceptLoop = Task.Run(AcceptLoopAsync);
        if (_settings.HeartbeatInterval > TimeSpan.Zero)
            _heartbeat = Task.Run(HeartbeatLoopAsync);
        if (_edge is not null)
            _redelivery = Task.Run(RedeliveryLoopAsync);
        _log.LogInformation("Listening on {Prefixes}", string.Join(", ", _settings.Prefixes));
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
            _listener.Close(); // Start failed (e.g. the port is taken): release whatever prefixes it registered
            return;
        }
        _listener.Stop();
        await _acceptLoop;
        await _heartbeat;
        await _redelivery;
        var channels = _registry.All;
        _log.LogInformation("Closing {Count} sockets with 1001", channels.Count);
        // In cluster mode (an edge is set) the rooms outlive this node and must hear that its sockets went away.
        var closing = Task.WhenAll(channels.Select(channel => channel.CloseForShutdownAsync(tellRoom: _edge is not null)));
        await Task.WhenAny(closing, Task.Delay(_settings.ShutdownTimeout));
        try
        {
            _listener.Close();
        }
        catch (HttpListenerException error)
        {
            // Seen in the test suite, where one process runs many listeners: Linux's managed HttpListener looks its
            // endpoint up again to remove it, and can fail to re-bind it. The sockets are closed by now; a stop
            // must finish rather than throw.
            _log.LogWarning(error, "HttpListener failed to release {Prefixes}", string.Join(", ", _settings.Prefixes));
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stopping.IsCancellationRequested)
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

    /// <summary>One sweep over all sockets per half interval: cheaper than a timer per socket.</summary>
    private async Task HeartbeatLoopAsync()
    {
        using var timer = new PeriodicTimer(_settings.HeartbeatInterval / 2);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                var now = Environment.TickCount64;
                foreach (var channel in _registry.All)
                    channel.CheckHeartbeat(now);
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    /// <summary>
    /// Cluster mode: sockets whose messages stay unconfirmed for a redelivery interval send them again; their room's
    /// node may have died with them. One sweep per interval over all sockets, as for heartbeats.
    /// </summary>
    private async Task RedeliveryLoopAsync()
    {
        using var timer = new PeriodicTimer(_settings.RedeliveryInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                var now = Environment.TickCount64;
                var sent = _registry.All.Sum(channel => channel.RedeliverOverdue(now, _settings.RedeliveryInterval));
                _counters.FramesRedelivered(sent);
                if (sent > 0)
                    _log.LogInformation("Sent {Count} messages again that their rooms had not confirmed in {Interval}", sent, _settings.RedeliveryInterval);
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
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
                    await RespondAsync(context, reply);
                    break;
                case RouteDecision.ServeFile serve:
                    await WriteAsync(context, 200, serve.File.ContentType, serve.File.Content,
                        new Dictionary<string, string> { ["Cache-Control"] = "no-cache" });
                    break;
                case RouteDecision.Upgrade upgrade:
                    await UpgradeAsync(context, upgrade.RoomName);
                    break;
            }
        }
        catch (Exception error)
        {
            _log.LogError(error, "Request {Method} {Url} failed", request.HttpMethod, request.RawUrl);
            await TryRespondAsync(context, new RouteDecision.Respond(500, "Internal server error", "text/plain;charset=UTF-8"));
        }
    }

    private async Task UpgradeAsync(HttpListenerContext context, string roomName)
    {
        var request = context.Request;
        var origin = request.Headers["Origin"];
        if (origin is not null && _settings.AllowedOrigins.Count > 0 && !_settings.AllowedOrigins.Contains(origin))
        {
            await RefuseAsync(context, roomName, new AccessDenied(403, $"Origin '{origin}' is not allowed to connect"));
            return;
        }

        var address = request.RemoteEndPoint.Address;
        if (_limiter.TryAcquire(address) is { } overLimit)
        {
            await RefuseAsync(context, roomName, overLimit);
            return;
        }
        var running = false;
        try
        {
            running = await UpgradeWithinLimitsAsync(context, roomName, address);
        }
        finally
        {
            // A socket that runs holds its slot until it ends (RunChannelAsync gives it back).
            if (!running)
                _limiter.Release(address);
        }
    }

    private async Task RefuseAsync(HttpListenerContext context, string roomName, AccessDenied denied)
    {
        _log.LogInformation("Refused upgrade to room {Room} from {Remote}: {Status} {Reason}",
            roomName, context.Request.RemoteEndPoint, denied.Status, denied.Body);
        await RespondAsync(context, new RouteDecision.Respond(denied.Status, denied.Body, "text/plain;charset=UTF-8"));
    }

    /// <summary>Upgrades within the connection limits; true when the socket is now running (and holds its slot).</summary>
    private async Task<bool> UpgradeWithinLimitsAsync(HttpListenerContext context, string roomName, IPAddress address)
    {
        var request = context.Request;
        var tcp = TcpSocketAccess.Find(context);
        if (tcp is null)
        {
            await RespondAsync(context, new RouteDecision.Respond(500,
                "This runtime's HttpListener does not expose its TCP socket; WebSockets are unavailable", "text/plain;charset=UTF-8"));
            return false;
        }
        tcp.NoDelay = true;

        // Negotiated before the room is asked, so the room's first frames after the 101 may already be compressed.
        var extensions = DeflateNegotiation.Answer(request.Headers["Sec-WebSocket-Extensions"], _settings.Compression);
        var connectionId = Guid.NewGuid().ToString("N");
        var headers = request.Headers.AllKeys
            .Where(key => key is not null)
            .ToDictionary(key => key!, key => request.Headers[key] ?? "", StringComparer.OrdinalIgnoreCase);
        var connectRequest = new ConnectRequest(roomName, connectionId, request.RawUrl ?? "/", headers) { Edge = _edge };
        if (_authorizer is not null
            && await _authorizer.AuthorizeAsync(connectRequest, request.RemoteEndPoint, _stopping.Token) is { } denied)
        {
            await RefuseAsync(context, roomName, denied);
            return false;
        }

        // Cluster mode numbers a socket's messages and keeps them until its room confirms them; one node needs neither.
        IInboundSink inbound = _edge is null ? _directInbound : new UnacknowledgedInbound(_settings.MaxUnacknowledgedMessages, _manager);
        var channel = new WebSocketChannel(connectionId, roomName, _manager, inbound, _settings, _registry, _counters,
            _loggerFactory.CreateLogger<WebSocketChannel>(), deflate: extensions is not null);
        _registry.Add(channel);
        var connect = new Connect(connectRequest);

        object answer;
        try
        {
            answer = await _manager.Ask<object>(connect, _settings.ConnectTimeout);
        }
        catch (AskTimeoutException)
        {
            // The room may still accept later: the abandon report makes it drop the session again.
            channel.Abandon();
            var body = $"Room '{roomName}' did not answer within {_settings.ConnectTimeout.TotalSeconds:0.#} s";
            _log.LogWarning("Rejected upgrade to room {Room}: {Reason}", roomName, body);
            await RespondAsync(context, new RouteDecision.Respond(503, body, "text/plain;charset=UTF-8"));
            return false;
        }

        string? subprotocol;
        switch (answer)
        {
            case Rejected rejected:
                _registry.Remove(connectionId);
                _log.LogInformation("Room {Room} refused upgrade from {Remote}: {Status} {Reason}",
                    roomName, request.RemoteEndPoint, rejected.Status, rejected.Body);
                await RespondAsync(context, new RouteDecision.Respond(rejected.Status, rejected.Body, "text/plain;charset=UTF-8"));
                return false;
            case Accepted accepted:
                channel.SetAutoResponse(accepted.AutoResponse);
                subprotocol = accepted.Subprotocol;
                break;
            default:
                throw new InvalidOperationException($"Room answered an upgrade with {answer.GetType().Name}");
        }

        try
        {
            // The room's frames may already wait in the channel's queue: they leave once the channel runs, after this.
            var key = request.Headers["Sec-WebSocket-Key"]!;
            await tcp.SendAsync(UpgradeResponse.SwitchingProtocols(key, subprotocol, extensions), System.Net.Sockets.SocketFlags.None);
            TcpSocketAccess.DetachFromListener(context);
        }
        catch (Exception error)
        {
            _log.LogWarning(error, "Upgrade to room {Room} failed after the room accepted; reporting the socket as gone", roomName);
            channel.Abandon();
            return false;
        }
        _ = RunChannelAsync(channel, tcp, address);
        return true;
    }

    /// <summary>
    /// Runs an upgraded socket apart from the request that upgraded it. Awaiting it there would keep that request's
    /// objects (HttpListener's context, its headers, the WebSocket object it returned and we never use) alive for as
    /// long as the socket is open; measured, that was several KiB per idle connection. The socket's connection-limit
    /// slot is given back when it ends.
    /// </summary>
    private async Task RunChannelAsync(WebSocketChannel channel, System.Net.Sockets.Socket tcp, IPAddress address)
    {
        try
        {
            await channel.RunAsync(tcp);
        }
        catch (Exception error)
        {
            _log.LogError(error, "Connection {ConnectionId} in room {Room} failed", channel.ConnectionId, channel.RoomName);
        }
        finally
        {
            _limiter.Release(address);
        }
    }

    private async Task RespondAsync(HttpListenerContext context, RouteDecision.Respond reply)
    {
        if (reply.Status >= 400)
            _counters.RequestRejected();
        await WriteAsync(context, reply.Status, reply.ContentType, Encoding.UTF8.GetBytes(reply.Body), reply.Headers);
    }

    /// <summary>Writes a response; to HEAD, the headers the GET answer would have (its Content-Length too) and no body (RFC 9110 §9.3.2).</summary>
    private static async Task WriteAsync(
        HttpListenerContext context, int status, string contentType, ReadOnlyMemory<byte> body, IReadOnlyDictionary<string, string>? headers)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = contentType;
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
            response.Headers[name] = value;
        response.ContentLength64 = body.Length;
        if (context.Request.HttpMethod != "HEAD")
            await response.OutputStream.WriteAsync(body);
        response.Close();
    }

    private async Task TryRespondAsync(HttpListenerContext context, RouteDecision.Respond reply)
    {
        try
        {
            await RespondAsync(context, reply);
        }
        catch (Exception error) when (error is HttpListenerException or InvalidOperationException or ObjectDisposedException)
        {
            _log.LogDebug(error, "Could not send the error response");
        }
    }
}

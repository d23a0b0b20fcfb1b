using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using AkkaHibernation.Actors.Behaviours;
using AkkaHibernation.Ids;
using AkkaHibernation.Transport.Access;
using AkkaHibernation.Transport.Compression;
using AkkaHibernation.Transport.Http;
using AkkaHibernation.Transport.Sockets;
using Microsoft.Extensions.Logging;
using static AkkaHibernation.Actors.Rooms.RoomProtocol;

namespace AkkaHibernation.Transport.Upgrades;

/// <summary>
/// Takes a routed WebSocket upgrade from request to running socket. The checks that need no room come first, so a
/// refused client never wakes one: the Origin, the per-node and per-address connection limits, the optional
/// <see cref="IConnectionAuthorizer"/>. Then permessage-deflate is negotiated, the channel registered, and the room
/// asked (<see cref="Connect"/>, within <c>connect-timeout</c>); only when it accepts is the 101 written, naming the
/// room's subprotocol and the negotiated extension, and the socket handed to its <see cref="WebSocketChannel"/>.
/// </summary>
internal sealed class UpgradeAdmission(
    IActorRef manager,
    ClientChannelRegistry registry,
    TransportSettings settings,
    TransportCounters counters,
    ILoggerFactory loggerFactory,
    HttpResponses responses,
    IConnectionAuthorizer? authorizer,
    EdgeAddress? edge)
{
    private readonly ILogger _log = loggerFactory.CreateLogger<UpgradeAdmission>();
    private readonly ConnectionLimiter _limiter = new(settings.MaxConnections, settings.MaxConnectionsPerIp);

    // One for every channel: a logger made per channel would be an object per open socket.
    private readonly ILogger _channelLog = loggerFactory.CreateLogger<WebSocketChannel>();
    private readonly DirectInbound _directInbound = new(manager);
    private volatile string? _refusal;
    private int _inFlight;

    /// <summary>Upgrades under way: asked, and not yet running or refused.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>While set, every upgrade is refused with 503 and this reason (a hand-over is under way); null admits again.</summary>
    public string? Refusal
    {
        get => _refusal;
        set => _refusal = value;
    }

    /// <summary>Admits or refuses the upgrade of <paramref name="context"/> into room <paramref name="room"/>.</summary>
    public async Task AdmitAsync(HttpListenerContext context, RoomKey room, CancellationToken stopping)
    {
        Interlocked.Increment(ref _inFlight);
        try
        {
            await AdmitOrRefuseAsync(context, room, stopping);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    /// <summary>
    /// Runs a socket adopted from the process this one took over from: it was admitted there, so it takes its
    /// connection-limit slot whatever the limits.
    /// </summary>
    public void RunAdopted(WebSocketChannel channel, Socket socket, IPAddress address, Takeover.ChannelHandover state)
    {
        _limiter.Acquire(address);
        _ = channel.RunAsync(socket, address, _limiter, state);
    }

    /// <summary>A channel for a socket adopted from another process, registered (so waking rooms find it) but not yet run.</summary>
    public WebSocketChannel Register(Takeover.ChannelHandover state)
    {
        var channel = new WebSocketChannel(state.ConnectionId, state.Room, manager, _directInbound, settings, registry, counters,
            _channelLog, state.Deflate);
        registry.Add(channel);
        return channel;
    }

    private async Task AdmitOrRefuseAsync(HttpListenerContext context, RoomKey room, CancellationToken stopping)
    {
        var request = context.Request;
        var address = ClientAddress.Resolve(
            request.RemoteEndPoint.Address, request.Headers["Forwarded"], request.Headers["X-Forwarded-For"], settings.TrustedProxies);
        var origin = request.Headers["Origin"];
        if (_refusal is { } refusal)
        {
            await RefuseAsync(context, room, new AccessDenied(503, refusal), address);
            return;
        }
        if (origin is not null && settings.AllowedOrigins.Count > 0 && !settings.AllowedOrigins.Contains(origin))
        {
            await RefuseAsync(context, room, new AccessDenied(403, $"Origin '{origin}' is not allowed to connect"), address);
            return;
        }

        if (_limiter.TryAcquire(address) is { } overLimit)
        {
            await RefuseAsync(context, room, overLimit, address);
            return;
        }
        var running = false;
        try
        {
            running = await AdmitWithinLimitsAsync(context, room, address, stopping);
        }
        finally
        {
            // A socket that runs holds its slot until it ends (its channel gives it back).
            if (!running)
                _limiter.Release(address);
        }
    }

    private async Task RefuseAsync(HttpListenerContext context, RoomKey room, AccessDenied denied, IPAddress client)
    {
        _log.LogInformation("Refused upgrade to room {Room} from {Client} (peer {Remote}): {Status} {Reason}",
            room, client, context.Request.RemoteEndPoint, denied.Status, denied.Body);
        await responses.RespondAsync(context, denied.Status, denied.Body);
    }

    /// <summary>Upgrades within the connection limits; true when the socket is now running (and holds its slot).</summary>
    private async Task<bool> AdmitWithinLimitsAsync(HttpListenerContext context, RoomKey room, IPAddress address, CancellationToken stopping)
    {
        var request = context.Request;
        var tcp = TcpSocketAccess.Find(context);
        if (tcp is null)
        {
            await responses.RespondAsync(context, 500, "This runtime's HttpListener does not expose its TCP socket; WebSockets are unavailable");
            return false;
        }
        tcp.NoDelay = true;

        // Negotiated before the room is asked, so the room's first frames after the 101 may already be compressed.
        var extensions = DeflateNegotiation.Answer(request.Headers["Sec-WebSocket-Extensions"], settings.Compression);
        var connectionId = ConnectionId.New();
        var headers = request.Headers.AllKeys
            .Where(key => key is not null)
            .ToDictionary(key => key!, key => request.Headers[key] ?? "", StringComparer.OrdinalIgnoreCase);
        var connectRequest = new ConnectRequest(room, connectionId, request.RawUrl ?? "/", headers) { Edge = edge, ClientAddress = address.ToString() };
        if (authorizer is not null
            && await authorizer.AuthorizeAsync(connectRequest, request.RemoteEndPoint, stopping) is { } denied)
        {
            await RefuseAsync(context, room, denied, address);
            return false;
        }

        // Cluster mode numbers a socket's messages and keeps them until its room confirms them; one node needs neither.
        IInboundSink inbound = edge is null ? _directInbound : new UnacknowledgedInbound(settings.MaxUnacknowledgedMessages, manager);
        var channel = new WebSocketChannel(connectionId, room, manager, inbound, settings, registry, counters,
            _channelLog, deflate: extensions is not null);
        registry.Add(channel);

        object answer;
        try
        {
            answer = await manager.Ask<object>(new Connect(connectRequest), settings.ConnectTimeout);
        }
        catch (AskTimeoutException)
        {
            // The room may still accept later: the abandon report makes it drop the session again.
            channel.Abandon();
            var body = $"Room '{room}' did not answer within {settings.ConnectTimeout.TotalSeconds:0.#} s";
            _log.LogWarning("Rejected upgrade to room {Room}: {Reason}", room, body);
            await responses.RespondAsync(context, 503, body);
            return false;
        }

        string? subprotocol;
        switch (answer)
        {
            case Rejected rejected:
                registry.Remove(connectionId);
                _log.LogInformation("Room {Room} refused upgrade from {Client}: {Status} {Reason}",
                    room, address, rejected.Status, rejected.Body);
                await responses.RespondAsync(context, rejected.Status, rejected.Body);
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
            await tcp.SendAsync(UpgradeResponse.SwitchingProtocols(key, subprotocol, extensions), SocketFlags.None);
            TcpSocketAccess.DetachFromListener(context);
        }
        catch (Exception error)
        {
            _log.LogWarning(error, "Upgrade to room {Room} failed after the room accepted; reporting the socket as gone", room);
            channel.Abandon();
            return false;
        }
        // Run apart from the request that upgraded it: awaiting it here would keep that request's objects (HttpListener's
        // context, its headers) alive for as long as the socket is open; measured, several KiB per idle connection.
        // The channel gives the connection-limit slot back when it ends.
        _ = channel.RunAsync(tcp, address, _limiter);
        return true;
    }
}

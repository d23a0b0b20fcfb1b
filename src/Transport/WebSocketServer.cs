using System.Net;
using Akka.Actor;
using AkkaHibernation.Ids;
using AkkaHibernation.Transport.Access;
using AkkaHibernation.Transport.Http;
using AkkaHibernation.Transport.Routing;
using AkkaHibernation.Transport.Sockets;
using AkkaHibernation.Transport.Upgrades;
using Microsoft.Extensions.Logging;

namespace AkkaHibernation.Transport;

/// <summary>
/// The HttpListener front door: accepts requests, routes them (<see cref="RequestRouter"/>), answers plain HTTP as the
/// seed's Worker does (<see cref="HttpResponses"/>; the seed: the reference Worker and Durable Object this server
/// ports), hands upgrades to <see cref="UpgradeAdmission"/>, runs the sweeps over all sockets
/// (<see cref="ChannelSweeps"/>) and closes every socket with 1001 when it stops.
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
    private readonly ChannelSweeps _sweeps;
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stopping = new();
    private Task _acceptLoop = Task.CompletedTask;
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
        EdgeAddress? edge = null)
    {
        _registry = registry;
        _settings = settings;
        _routes = routes ?? RouteTable.SeedOnly;
        _clustered = edge is not null;
        _log = loggerFactory.CreateLogger<WebSocketServer>();
        _responses = new HttpResponses(counters, _log);
        _upgrades = new UpgradeAdmission(manager, registry, settings, counters, loggerFactory, _responses, authorizer, edge);
        _sweeps = new ChannelSweeps(registry, settings, counters, _log);
    }

    /// <summary>Starts listening on every configured prefix.</summary>
    /// <exception cref="PlatformNotSupportedException">The transport cannot run on this platform (Windows) or runtime.</exception>
    public void Start()
    {
        if (TcpSocketAccess.Unsupported(OperatingSystem.IsWindows(), TcpSocketAccess.IsAvailable) is { } unsupported)
            throw new PlatformNotSupportedException(unsupported);
        foreach (var prefix in _settings.Prefixes)
            _listener.Prefixes.Add(prefix);
        _listener.Start();
        _started = true;
        _acceptLoop = Task.Run(AcceptLoopAsync);
        _sweeps.Start(redeliver: _clustered, _stopping.Token);
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
        await _sweeps.Stopped;
        var channels = _registry.All;
        _log.LogInformation("Closing {Count} sockets with 1001", channels.Count);
        // In cluster mode the rooms outlive this node and must hear that its sockets went away.
        var closing = Task.WhenAll(channels.Select(channel => channel.CloseForShutdownAsync(tellRoom: _clustered)));
        await Task.WhenAny(closing, Task.Delay(_settings.ShutdownTimeout));
        ListenerRelease.Close(_listener, _settings.Prefixes, _log); // the sockets are closed by now
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

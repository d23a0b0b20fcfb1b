using System.Diagnostics.Metrics;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using AkkaHibernation.Actors.Behaviours;
using AkkaHibernation.Actors.Hibernation;
using AkkaHibernation.Actors.Rooms;
using AkkaHibernation.Server.Admin;
using AkkaHibernation.Server.Journal;
using AkkaHibernation.Server.Logging;
using AkkaHibernation.Server.Takeover;
using AkkaHibernation.Transport;
using AkkaHibernation.Transport.Access;
using AkkaHibernation.Transport.Sockets;
using AkkaHibernation.Transport.Takeover;
using Microsoft.Extensions.Logging;

namespace AkkaHibernation.Server.Node;

/// <summary>
/// One running server: the actor system with its journal, the hibernation manager and the transport, wired
/// together. The console host runs one; end-to-end tests start their own on a loopback port. A single node on Linux
/// can be taken over by a new process, sockets and all (<see cref="TakeoverListener"/>), or take over itself
/// (<c>akka-hibernation.host.takeover.take-over</c>, set by <c>--takeover</c>).
/// </summary>
public sealed class HibernationNode : IAsyncDisposable, IHandoverHost
{
    private static readonly TimeSpan WarmupTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The name of the meter every node instrument is published on.</summary>
    public const string MeterName = "AkkaHibernation";

    private readonly ILogger _log;
    private readonly TimeSpan _shutdownTimeout;
    private readonly Meter _meter;
    private readonly Func<AdminServer>? _startAdmin;
    private readonly MemoryReleaser? _memoryReleaser;
    private readonly JournalStore _journal;
    private readonly TaskCompletionSource<int> _handedOver = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private AdminServer? _admin;
    private ServerLock? _serverLock;
    private TakeoverListener? _takeoverListener;
    private int _stopped;

    private readonly NodeRooms _nodeRooms;

    private HibernationNode(
        ActorSystem system,
        NodeRooms nodeRooms,
        WebSocketServer server,
        AdminServer? admin,
        Func<AdminServer>? startAdmin,
        MemoryReleaser? memoryReleaser,
        WakeWarmup? wakeWarmup,
        ClientChannelRegistry registry,
        HibernationCounters rooms,
        TransportCounters transport,
        Meter meter,
        ServerLock? serverLock,
        JournalStore journal,
        TimeSpan shutdownTimeout,
        ILogger log)
    {
        _serverLock = serverLock;
        _journal = journal;
        _startAdmin = startAdmin;
        System = system;
        _nodeRooms = nodeRooms;
        Server = server;
        _admin = admin;
        _memoryReleaser = memoryReleaser;
        WakeWarmup = wakeWarmup;
        Registry = registry;
        RoomCounters = rooms;
        TransportCounters = transport;
        _meter = meter;
        _shutdownTimeout = shutdownTimeout;
        _log = log;
    }

    /// <summary>The node's actor system.</summary>
    public ActorSystem System { get; }

    /// <summary>Where room envelopes go: the hibernation manager, parent of every room, or in cluster mode this node's shard region.</summary>
    public IActorRef RoomEnvelopes => _nodeRooms.Envelopes;

    /// <summary>The HttpListener transport.</summary>
    public WebSocketServer Server { get; }

    /// <summary>How many times the node gave memory back to the OS after rooms hibernated (0 when that is off).</summary>
    public long MemoryReleases => _memoryReleaser?.Releases ?? 0;

    /// <summary>The wake warm-up running in the background after the start; null when it is off.</summary>
    internal WakeWarmup? WakeWarmup { get; }

    /// <summary>The node's live sockets.</summary>
    public ClientChannelRegistry Registry { get; }

    /// <summary>Room lifecycle counters (wakes, hibernations, resident rooms).</summary>
    public HibernationCounters RoomCounters { get; }

    /// <summary>Transport counters (auto-responses, frames in, slow consumers, takeovers).</summary>
    public TransportCounters TransportCounters { get; }

    /// <summary>
    /// Completes, with the new process's id, when a new process has taken this node's sockets over: the node should
    /// stop, and its process exit 0.
    /// </summary>
    public Task<int> HandedOver => _handedOver.Task;

    /// <summary>
    /// Starts a node from fully merged config (see <c>HoconLoader</c>). Without <paramref name="rooms"/>, it runs only
    /// the seed's room (<see cref="HostedRooms.Seed"/>); without an <paramref name="authorizer"/>, the configured bearer
    /// tokens (if any) guard the upgrades.
    /// </summary>
    public static async Task<HibernationNode> StartAsync(
        Config config,
        ILoggerFactory loggerFactory,
        HostedRooms? rooms = null,
        IConnectionAuthorizer? authorizer = null)
    {
        var log = loggerFactory.CreateLogger<HibernationNode>();
        var cluster = ClusterSettings.FromConfig(config);
        var journal = JournalStore.FromConfig(config);
        // With SQLite the lock also keeps a second cluster node off the file: every node needs a shared journal.
        var fullConfig = cluster.AkkaOverlay().WithFallback(journal.Prepare());
        var takeover = TakeoverSettings.FromConfig(fullConfig, journal);
        if (takeover.TakeOver && TakeoverClient.Unsupported(takeover, cluster.Enabled) is { } cannot)
            throw new TakeoverFailedException($"Cannot take over: {cannot}");
        // A process taking over takes the lock from the running server once that has let go of it.
        var serverLock = takeover.TakeOver ? null : ServerLock.ForServer(journal);
        var roomSettings = HibernationSettings.FromConfig(fullConfig);
        var transportSettings = TransportSettings.FromConfig(fullConfig);
        var shutdownTimeout = fullConfig.GetTimeSpan("akka-hibernation.host.shutdown-timeout");
        var adminSettings = AdminSettings.FromConfig(fullConfig);
        var memoryRelease = MemoryReleaseSettings.FromConfig(fullConfig);
        var wakeWarmup = WakeWarmupSettings.FromConfig(fullConfig);
        rooms ??= HostedRooms.Seed;

        var setup = journal.SystemSetup(fullConfig).And(new LoggerFactorySetup(loggerFactory));
        var system = ActorSystem.Create("akka-hibernation", setup);
        var meter = new Meter(MeterName);
        WebSocketServer? server = null;
        AdminServer? admin = null;
        try
        {
            await JournalWarmup.RunAsync(system, journal, WarmupTimeout);
            RoomRecoveryWarmup.Run();
            var registry = new ClientChannelRegistry();
            var roomCounters = new HibernationCounters(meter);
            var transport = new TransportCounters(meter);
            // Taking over, the rooms are held until every adopted socket is registered, so a waking room finds its sessions.
            NodeRooms nodeRooms = cluster.Enabled
                ? await ClusterNodeRooms.StartAsync(system, cluster, roomSettings, rooms.Types, registry, roomCounters)
                : SingleNodeRooms.Start(system, roomSettings, rooms.Types, registry, roomCounters, held: takeover.TakeOver);
            var tokens = fullConfig.GetStringList($"{TransportSettings.ConfigPath}.auth.bearer-tokens");
            authorizer ??= tokens.Count > 0 ? new BearerTokenAuthorizer(tokens) : null;
            Func<AdminServer>? startAdmin = null;
            if (adminSettings.Enabled)
            {
                var materializer = system.Materializer(namePrefix: "readiness");
                startAdmin = () =>
                {
                    var started = new AdminServer(adminSettings, token => JournalProblemAsync(system, materializer, token),
                        loggerFactory.CreateLogger<AdminServer>());
                    started.Start();
                    return started;
                };
            }
            server = new WebSocketServer(
                nodeRooms.Envelopes, registry, transportSettings, transport, loggerFactory, rooms.Routes, authorizer, nodeRooms.Edge);
            if (takeover.TakeOver)
            {
                var outcome = await TakeoverClient.TakeOverAsync(takeover, journal, server, log);
                serverLock = outcome.Lock;
                ((SingleNodeRooms)nodeRooms).Release();
                // The old process let go of the admin prefixes with the others.
                admin = startAdmin?.Invoke();
                server.Serve();
                transport.TookOver(outcome.Elapsed, outcome.RefusedWindow);
                log.LogInformation("Took over {Count} sockets in {Elapsed} ms; the listen prefixes were bound by neither process for {Refused} ms",
                    outcome.Sockets, (long)outcome.Elapsed.TotalMilliseconds, (long)outcome.RefusedWindow.TotalMilliseconds);
            }
            else
            {
                // The admin listener first: a node whose admin port is taken fails before any client can connect to it,
                // and "Listening on" (the transport's line) means the node is fully up.
                admin = startAdmin?.Invoke();
                server.Start();
            }
            var memoryReleaser = memoryRelease.Enabled ? new MemoryReleaser(memoryRelease, roomCounters, log) : null;
            log.LogInformation("Journal: {Journal}; rooms hibernate after {IdleTimeout} idle",
                journal.Description, roomSettings.IdleTimeout);
            if (cluster.Enabled)
                log.LogInformation("Cluster node {Address} is Up; rooms are sharded over {Shards} shards", Akka.Cluster.Cluster.Get(system).SelfAddress, cluster.Shards);
            var node = new HibernationNode(system, nodeRooms, server, admin, startAdmin, memoryReleaser,
                WakeWarmup.Start(system, wakeWarmup, log), registry, roomCounters, transport, meter,
                serverLock, journal, shutdownTimeout, log);
            if (OperatingSystem.IsLinux() && !cluster.Enabled && TakeoverClient.Unsupported(takeover, clustered: false) is null)
                node._takeoverListener = TakeoverListener.Start(takeover, takeover.ControlSocket!, node, PeerCredentials.CurrentUserId, log);
            return node;
        }
        catch
        {
            // E.g. the WebSocket port is taken: the listeners that did start must not stay bound, and the journal's
            // lock and the actor system are released even when stopping a listener fails, or a retry on other
            // ports would find the journal held by this failed start.
            try
            {
                if (server is not null)
                    await server.StopAsync();
                if (admin is not null)
                    await admin.DisposeAsync();
            }
            finally
            {
                serverLock?.Dispose();
                meter.Dispose();
                await system.Terminate();
            }
            throw;
        }
    }

    /// <summary>
    /// Graceful stop, bounded by <c>akka-hibernation.host.shutdown-timeout</c>: stop accepting, close sockets with
    /// 1001, let resident rooms snapshot and stop, then terminate the actor system.
    /// </summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
            return;
        var deadline = DateTime.UtcNow + _shutdownTimeout;
        if (_takeoverListener is not null)
            await _takeoverListener.DisposeAsync();
        if (_admin is not null)
            await _admin.DisposeAsync();
        if (_memoryReleaser is not null)
            await _memoryReleaser.DisposeAsync();
        if (WakeWarmup is not null)
            await WakeWarmup.DisposeAsync();
        await Server.StopAsync();
        if (System.WhenTerminated.IsCompleted)
            _log.LogWarning("The actor system had already stopped: no room could hibernate; their journals hold their events");
        else if (await _nodeRooms.StopAsync(Remaining(deadline)))
            _log.LogInformation("Every room has hibernated");
        else
            _log.LogWarning("Rooms did not all hibernate within the shutdown timeout; their journals hold their events");
        await System.Terminate().WaitAsync(Remaining(deadline) + TimeSpan.FromSeconds(1));
        _meter.Dispose();
        _serverLock?.Dispose();
    }

    /// <summary>Null when the journal answers a query in time, otherwise why not (for /readyz).</summary>
    private static async Task<string?> JournalProblemAsync(ActorSystem system, IMaterializer materializer, CancellationToken token)
    {
        try
        {
            var journal = PersistenceQuery.Get(system).ReadJournalFor<SqlReadJournal>(SqlReadJournal.Identifier);
            await journal.CurrentPersistenceIds().Take(1).RunWith(Sink.Ignore<string>(), materializer).WaitAsync(token);
            return null;
        }
        catch (OperationCanceledException)
        {
            return "the journal did not answer in time";
        }
        catch (Exception error)
        {
            return $"the journal failed: {error.Message}";
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync();

    SingleNodeRooms IHandoverHost.Rooms => (SingleNodeRooms)_nodeRooms;

    async Task IHandoverHost.StopAdminAsync()
    {
        if (_admin is not null)
            await _admin.DisposeAsync();
        _admin = null;
    }

    void IHandoverHost.StartAdmin() => _admin = _startAdmin?.Invoke();

    void IHandoverHost.ReleaseJournal()
    {
        _serverLock?.Dispose();
        _serverLock = null;
    }

    async Task<bool> IHandoverHost.TakeJournalBackAsync(TimeSpan timeout)
    {
        if (_journal.LockedFile is not { } file)
            return true;
        _serverLock = await ServerLock.AcquireWithinAsync(file, timeout);
        return _serverLock is not null;
    }

    void IHandoverHost.HandedOver(int newProcessId) => _handedOver.TrySetResult(newProcessId);

    private static TimeSpan Remaining(DateTime deadline)
    {
        var left = deadline - DateTime.UtcNow;
        return left > TimeSpan.FromMilliseconds(100) ? left : TimeSpan.FromMilliseconds(100);
    }
}

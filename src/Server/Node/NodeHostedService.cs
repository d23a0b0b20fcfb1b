using Akka.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AkkaHibernation.Server.Node;

/// <summary>
/// Runs a <see cref="HibernationNode"/> inside the generic host, so SIGTERM/Ctrl-C stop it gracefully, and so does a
/// new process taking its sockets over (the process then exits 0).
/// </summary>
public sealed class NodeHostedService(Config config, HostedRooms rooms, ILoggerFactory loggerFactory, IHostApplicationLifetime lifetime)
    : IHostedService
{
    private HibernationNode? _node;

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _node = await HibernationNode.StartAsync(config, loggerFactory, rooms);
        Hosting.SystemdNotify.Ready();
        _ = _node.HandedOver.ContinueWith(handedOver =>
        {
            Hosting.SystemdNotify.MainProcessIs(handedOver.Result);
            lifetime.StopApplication();
        }, TaskScheduler.Default);
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_node is not null)
            await _node.StopAsync();
    }
}

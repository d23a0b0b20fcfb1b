using Akka.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AkkaHibernation.Server.Node;

/// <summary>Runs a <see cref="HibernationNode"/> inside the generic host, so SIGTERM/Ctrl-C stop it gracefully.</summary>
public sealed class NodeHostedService(Config config, HostedRooms rooms, ILoggerFactory loggerFactory) : IHostedService
{
    private HibernationNode? _node;

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken) =>
        _node = await HibernationNode.StartAsync(config, loggerFactory, rooms);

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_node is not null)
            await _node.StopAsync();
    }
}

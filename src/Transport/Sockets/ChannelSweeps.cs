using Microsoft.Extensions.Logging;

namespace AkkaHibernation.Transport.Sockets;

/// <summary>
/// The timed sweeps over every socket of a server, one loop each rather than a timer per socket: the heartbeat (a
/// silent socket is pinged, a dead one dropped) and, in cluster mode, the redelivery of messages their rooms have not
/// confirmed (the room's node may have died with them).
/// </summary>
internal sealed class ChannelSweeps(ClientChannelRegistry registry, TransportSettings settings, TransportCounters counters, ILogger log)
{
    private Task _heartbeat = Task.CompletedTask;
    private Task _redelivery = Task.CompletedTask;

    /// <summary>Starts the heartbeat (unless its interval is zero) and, with <paramref name="redeliver"/>, the redelivery sweep.</summary>
    public void Start(bool redeliver, CancellationToken stopping)
    {
        if (settings.HeartbeatInterval > TimeSpan.Zero)
            _heartbeat = Task.Run(() => HeartbeatLoopAsync(stopping));
        if (redeliver)
            _redelivery = Task.Run(() => RedeliveryLoopAsync(stopping));
    }

    /// <summary>Completes when both loops have seen the stop.</summary>
    public Task Stopped => Task.WhenAll(_heartbeat, _redelivery);

    /// <summary>One sweep per half interval, so a silent socket is pinged between one and one and a half intervals.</summary>
    private async Task HeartbeatLoopAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(settings.HeartbeatInterval / 2);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                var now = Environment.TickCount64;
                foreach (var channel in registry.All)
                    channel.CheckHeartbeat(now);
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    private async Task RedeliveryLoopAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(settings.RedeliveryInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                var now = Environment.TickCount64;
                var sent = registry.All.Sum(channel => channel.RedeliverOverdue(now, settings.RedeliveryInterval));
                counters.FramesRedelivered(sent);
                if (sent > 0)
                    log.LogInformation("Sent {Count} messages again that their rooms had not confirmed in {Interval}", sent, settings.RedeliveryInterval);
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }
}

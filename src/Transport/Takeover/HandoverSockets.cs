using AkkaHibernation.Transport.Sockets;
using Microsoft.Extensions.Logging;

namespace AkkaHibernation.Transport.Takeover;

/// <summary>
/// The old process's side of a hand-over, socket by socket: the open sockets whose readers parked at a frame boundary
/// (<see cref="WebSocketServer.FreezeAsync"/>). Their writers are parked next (<see cref="PauseWritersAsync"/>), once
/// the rooms have written everything they will; then each socket's descriptor goes to the new process with its state
/// (<see cref="Send"/>), and it is <see cref="Commit"/>ted or <see cref="Resume"/>d. A socket that could not be parked
/// in time stays here, running, and is closed with 1001 when this process stops.
/// </summary>
public sealed class HandoverSockets
{
    private readonly IReadOnlyList<WebSocketChannel> _parked;
    private readonly IReadOnlyList<WebSocketChannel> _notParked;
    private readonly ILogger _log;
    private List<WebSocketChannel> _sent = [];

    internal HandoverSockets(IReadOnlyList<WebSocketChannel> parked, IReadOnlyList<WebSocketChannel> notParked, ILogger log)
    {
        _parked = parked;
        _notParked = notParked;
        _log = log;
    }

    /// <summary>Sockets whose readers parked.</summary>
    public int Parked => _parked.Count;

    /// <summary>Open sockets whose readers did not reach a frame boundary in time (a client stalled inside a frame): they stay.</summary>
    public int NotParked => _notParked.Count;

    /// <summary>The first few sockets that did not park, for the log: connection id and room.</summary>
    public string NotParkedSample => string.Join(", ", _notParked.Take(10).Select(channel => $"{channel.ConnectionId} in {channel.Room}: {channel.FreezeState}"));

    /// <summary>Parks every parked socket's writer; those that do not park within <paramref name="timeout"/> (a client that does not read) stay.</summary>
    public async Task PauseWritersAsync(TimeSpan timeout)
    {
        var writers = _parked.Select(channel => channel.PauseWritingAsync()).ToList();
        await Task.WhenAny(Task.WhenAll(writers), Task.Delay(timeout));
    }

    /// <summary>
    /// Sends every socket that can go (both loops parked, no close begun) to <paramref name="link"/>: descriptors in
    /// batches of <see cref="DescriptorPassing.MaxPerMessage"/>, each with its sockets' states. The others resume here.
    /// Returns how many were sent.
    /// </summary>
    public int Send(TakeoverLink link)
    {
        var going = new List<(WebSocketChannel Channel, ChannelHandover State)>();
        foreach (var channel in _parked)
        {
            if (channel.Capture() is { } state)
                going.Add((channel, state));
            else
                channel.Resume();
        }
        if (going.Count < _parked.Count)
            _log.LogWarning("{Count} sockets could not be handed over (their writer did not park, or a close had begun); they stay with this process",
                _parked.Count - going.Count);
        _log.LogInformation(
            "Handing over {Count} sockets: {Frames} frames queued, {Bytes} bytes of a write unsent, {Unparsed} bytes read and not parsed, {Unfinished} unfinished messages",
            going.Count, going.Sum(item => item.State.Queued.Count), going.Sum(item => item.State.Unsent?.Length ?? 0),
            going.Sum(item => item.State.Unparsed.Length), going.Count(item => item.State.Unfinished is not null));
        foreach (var batch in going.Chunk(DescriptorPassing.MaxPerMessage))
        {
            var descriptors = batch.Select(item => item.Channel.Descriptor).ToArray();
            link.Send(new SocketBatch(batch.Select(item => item.State).ToList()), descriptors);
        }
        _sent = going.Select(item => item.Channel).ToList();
        return _sent.Count;
    }

    /// <summary>The new process has every socket sent: they are no longer this process's; those never parked run on here.</summary>
    public void Commit()
    {
        foreach (var channel in _sent)
            channel.HandOver();
        // The parked ones that could not go were resumed when the others were sent.
        foreach (var channel in _notParked)
            channel.Resume();
    }

    /// <summary>The hand-over was abandoned: every socket reads and writes again where it stopped.</summary>
    public void Resume()
    {
        foreach (var channel in _parked.Concat(_notParked))
            channel.Resume();
    }
}

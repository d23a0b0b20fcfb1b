using System.Diagnostics;

namespace AkkaHibernation.Bench.Scenarios;

/// <summary>
/// One message sent to a room of K clients, tracked as its lines arrive: the sender's own echo, the moment the
/// last client got its "to: all clients" line, and the moment every line (2K) arrived.
/// </summary>
public sealed class WakeRound(string message, int sessions)
{
    private int _broadcasts;
    private int _frames;
    private int _strays;

    public string Message { get; } = message;

    public long SentAt { get; private set; }

    public TaskCompletionSource<long> OwnEcho { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource<long> LastBroadcast { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource<long> Drained { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The largest "Total connections" a line of this round reported.</summary>
    public int TotalConnections { get; private set; }

    /// <summary>Frames that were not lines about this round's message.</summary>
    public int Strays => Volatile.Read(ref _strays);

    public int Frames => Volatile.Read(ref _frames);

    public void MarkSent() => SentAt = Stopwatch.GetTimestamp();

    public void OnFrame(string text, long at)
    {
        var frame = Frame.Parse(text);
        if (frame.Kind == FrameKind.Other || frame.Message != Message)
        {
            Interlocked.Increment(ref _strays);
            return;
        }
        if (frame.TotalConnections > TotalConnections)
            TotalConnections = frame.TotalConnections;
        if (frame.Kind == FrameKind.Own)
            OwnEcho.TrySetResult(at);
        if (frame.Kind == FrameKind.All && Interlocked.Increment(ref _broadcasts) == sessions)
            LastBroadcast.TrySetResult(at);
        if (Interlocked.Increment(ref _frames) == 2 * sessions)
            Drained.TrySetResult(at);
    }
}

namespace AkkaHibernation.MicroBench;

/// <summary>Completes a task when a given number of frames has arrived, from any thread.</summary>
public sealed class FrameCountdown
{
    private int _remaining;
    private TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Starts waiting for <paramref name="frames"/> frames; the returned task completes with the last one.</summary>
    public Task Expect(int frames)
    {
        _done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _remaining, frames);
        return _done.Task;
    }

    public void Signal()
    {
        if (Interlocked.Decrement(ref _remaining) == 0)
            _done.TrySetResult();
    }
}

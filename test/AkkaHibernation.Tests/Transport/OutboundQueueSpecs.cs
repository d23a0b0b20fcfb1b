using AkkaHibernation.Transport.Sockets;
using Xunit;

namespace AkkaHibernation.Tests.Transport;

/// <summary>A socket's outbound queue: bounded, in order, and a writer loop's wait that wakes for a frame or the end.</summary>
public sealed class OutboundQueueSpecs
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    private static OutboundItem Frame(int n) => new(AkkaHibernation.Transport.Framing.Opcode.Text, new[] { (byte)n }, 0);

    [Fact]
    public void Frames_leave_in_order_and_a_full_queue_refuses_more()
    {
        var queue = new OutboundQueue(capacity: 2);

        Assert.True(queue.TryEnqueue(Frame(1)));
        Assert.True(queue.TryEnqueue(Frame(2)));
        Assert.False(queue.TryEnqueue(Frame(3)));

        Assert.True(queue.TryDequeue(out var first));
        Assert.True(queue.TryEnqueue(Frame(4)));
        Assert.True(queue.TryDequeue(out var second));
        Assert.True(queue.TryDequeue(out var third));
        Assert.False(queue.TryDequeue(out _));
        Assert.Equal(new byte[] { 1, 2, 4 }, new[] { first, second, third }.Select(item => item.Payload.Span[0]));
    }

    [Fact]
    public async Task A_waiting_loop_wakes_for_the_next_frame_each_time()
    {
        var queue = new OutboundQueue(capacity: 8);
        for (var n = 0; n < 3; n++)
        {
            var wait = queue.WaitToReadAsync();
            Assert.False(wait.IsCompleted);

            await Task.Run(() => queue.TryEnqueue(Frame(n)));

            Assert.True(await wait.AsTask().WaitAsync(Patience));
            Assert.True(queue.TryDequeue(out var item));
            Assert.Equal(n, item.Payload.Span[0]);
        }
    }

    [Fact]
    public async Task Completing_wakes_the_loop_with_false_once_the_frames_before_it_are_taken()
    {
        var queue = new OutboundQueue(capacity: 8);
        queue.TryEnqueue(Frame(1));
        queue.Complete();

        Assert.False(queue.TryEnqueue(Frame(2)));
        Assert.True(await queue.WaitToReadAsync());
        Assert.True(queue.TryDequeue(out _));
        Assert.False(await queue.WaitToReadAsync());

        var empty = new OutboundQueue(capacity: 8);
        var waiting = empty.WaitToReadAsync();
        empty.Complete();
        Assert.False(await waiting.AsTask().WaitAsync(Patience));
    }
}

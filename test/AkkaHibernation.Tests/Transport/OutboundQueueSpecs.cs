using AkkaHibernation.Transport.Sockets;
using Xunit;

namespace AkkaHibernation.Tests.Transport;

/// <summary>
/// A socket's outbound queue: bounded, in order, and the hand-off between the writer that stops on an empty queue and
/// whoever queues the next frame, which must start it again, exactly once.
/// </summary>
public sealed class OutboundQueueSpecs
{
    private static OutboundItem Frame(int n) => new(AkkaHibernation.Transport.Framing.Opcode.Text, new[] { (byte)n }, 0);

    [Fact]
    public void Frames_leave_in_order_and_a_full_queue_refuses_more()
    {
        var queue = new OutboundQueue(capacity: 2);

        Assert.True(queue.TryEnqueue(Frame(1), out _));
        Assert.True(queue.TryEnqueue(Frame(2), out _));
        Assert.False(queue.TryEnqueue(Frame(3), out _));

        Assert.True(queue.TryDequeue(out var first));
        Assert.True(queue.TryEnqueue(Frame(4), out _));
        Assert.True(queue.TryDequeue(out var second));
        Assert.True(queue.TryDequeue(out var third));
        Assert.False(queue.TryDequeue(out _));
        Assert.Equal(new byte[] { 1, 2, 4 }, new[] { first, second, third }.Select(item => item.Payload.Span[0]));
    }

    [Fact]
    public void Frames_queued_before_the_writer_first_runs_wait_for_it_and_do_not_start_it()
    {
        var queue = new OutboundQueue(capacity: 8);

        Assert.True(queue.TryEnqueue(Frame(1), out var startWriter));
        Assert.False(startWriter);
        Assert.False(queue.TryStop()); // the writer's first look finds the frame
    }

    [Fact]
    public void A_stopped_writer_is_started_by_the_next_frame_once()
    {
        var queue = new OutboundQueue(capacity: 8);
        Assert.True(queue.TryStop());

        Assert.True(queue.TryEnqueue(Frame(1), out var first));
        Assert.True(queue.TryEnqueue(Frame(2), out var second));

        Assert.True(first);
        Assert.False(second); // already started
        Assert.False(queue.TryStop()); // frames are waiting: the writer goes on
        Assert.True(queue.TryDequeue(out _));
        Assert.True(queue.TryDequeue(out _));
        Assert.True(queue.TryStop());
        Assert.True(queue.TryEnqueue(Frame(3), out var third));
        Assert.True(third);
    }

    [Fact]
    public void Each_frame_queued_from_many_threads_while_the_writer_stops_and_starts_is_taken_by_a_started_writer()
    {
        const int producers = 4, perProducer = 2_000;
        var queue = new OutboundQueue(capacity: producers * perProducer);
        Assert.True(queue.TryStop());
        var starts = 0;
        var taken = 0;
        var writerRunning = 0;
        var overlaps = 0;

        // The writer as OutboundWriter runs it: started by a frame, it takes frames until TryStop says it may stop.
        void RunWriter()
        {
            if (Interlocked.Exchange(ref writerRunning, 1) == 1)
                Interlocked.Increment(ref overlaps);
            while (true)
            {
                while (queue.TryDequeue(out _))
                    Interlocked.Increment(ref taken);
                Volatile.Write(ref writerRunning, 0);
                if (queue.TryStop())
                    return;
                Volatile.Write(ref writerRunning, 1);
            }
        }

        Parallel.For(0, producers, _ =>
        {
            for (var n = 0; n < perProducer; n++)
            {
                Assert.True(queue.TryEnqueue(Frame(n), out var startWriter));
                if (startWriter)
                {
                    Interlocked.Increment(ref starts);
                    RunWriter();
                }
            }
        });

        Assert.Equal(producers * perProducer, taken);
        Assert.Equal(0, overlaps); // never two writers at once
        Assert.InRange(starts, 1, producers * perProducer);
        Assert.True(queue.TryStop());
    }

    [Fact]
    public void A_completed_queue_refuses_frames_and_leaves_its_stopped_writer_stopped()
    {
        var queue = new OutboundQueue(capacity: 8);
        queue.TryEnqueue(Frame(1), out _);
        queue.Complete();

        Assert.False(queue.TryEnqueue(Frame(2), out var startWriter));
        Assert.False(startWriter);
        Assert.True(queue.TryDequeue(out _)); // what was queued before the completion is still written
        Assert.True(queue.TryStop());
        Assert.False(queue.TryEnqueue(Frame(3), out startWriter));
        Assert.False(startWriter);
    }
}

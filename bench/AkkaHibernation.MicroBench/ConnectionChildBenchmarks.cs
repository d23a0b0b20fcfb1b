using Akka.Actor;
using BenchmarkDotNet.Attributes;

namespace AkkaHibernation.MicroBench;

/// <summary>
/// What a child actor per connection would cost a room (issue 14's design card: "each connection is a child actor
/// of RoomActor"), measured before building it: spawning one child per session, as a wake would, and one message to
/// every child, as one broadcast turn would with one batch per child, against writing the same number of items to
/// the sessions' queues directly (what a room does today).
/// </summary>
[ShortRunJob]
[MemoryDiagnoser]
public class ConnectionChildBenchmarks
{
    private ActorSystem _system = null!;
    private IActorRef[] _children = [];
    private CountingChild.Counter _counter = null!;
    private System.Threading.Channels.Channel<object>[] _queues = [];

    [Params(1000, 5000)]
    public int Sessions { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _system = ActorSystem.Create("children-bench", "akka.loglevel = WARNING");
        _counter = new CountingChild.Counter();
        var parent = _system.ActorOf(Props.Create(() => new ParentOfMany()), "room");
        _children = parent.Ask<IActorRef[]>(new ParentOfMany.Spawn(Sessions, _counter, "warm"), TimeSpan.FromMinutes(1)).Result;
        _queues = Enumerable.Range(0, Sessions).Select(_ => System.Threading.Channels.Channel.CreateUnbounded<object>()).ToArray();
    }

    [GlobalCleanup]
    public void Cleanup() => _system.Terminate().Wait();

    private int _round;

    /// <summary>A wake's share: one child per re-attached session, spawned by the room (then stopped again).</summary>
    [Benchmark]
    public int SpawnChildren()
    {
        var parent = _system.ActorOf(Props.Create(() => new ParentOfMany()));
        var children = parent.Ask<IActorRef[]>(new ParentOfMany.Spawn(Sessions, _counter, "r" + _round++), TimeSpan.FromMinutes(1)).Result;
        parent.Tell(PoisonPill.Instance);
        return children.Length;
    }

    /// <summary>One broadcast turn through the children: one message to each, until every child has handled it.</summary>
    [Benchmark]
    public int TellEveryChild()
    {
        var handled = _counter.Expect(Sessions);
        var batch = new object();
        foreach (var child in _children)
            child.Tell(batch);
        handled.Wait();
        return Sessions;
    }

    /// <summary>The same turn written straight to each session's queue, as the room does without children.</summary>
    [Benchmark(Baseline = true)]
    public int WriteEveryQueue()
    {
        var batch = new object();
        foreach (var queue in _queues)
            queue.Writer.TryWrite(batch);
        foreach (var queue in _queues)
            queue.Reader.TryRead(out _);
        return Sessions;
    }

    /// <summary>A stand-in room that spawns the children it is asked for and answers with their refs.</summary>
    private sealed class ParentOfMany : ReceiveActor
    {
        public sealed record Spawn(int Count, CountingChild.Counter Counter, string Prefix);

        public ParentOfMany() =>
            Receive<Spawn>(spawn => Sender.Tell(Enumerable.Range(0, spawn.Count)
                .Select(i => Context.ActorOf(Props.Create<CountingChild>(spawn.Counter), $"{spawn.Prefix}-{i}"))
                .ToArray()));
    }

    /// <summary>A child that counts the messages it handles.</summary>
    private sealed class CountingChild(CountingChild.Counter counter) : UntypedActor
    {
        public sealed class Counter
        {
            private int _remaining;
            private ManualResetEventSlim _done = new(true);

            public ManualResetEventSlim Expect(int count)
            {
                _done = new ManualResetEventSlim(false);
                Volatile.Write(ref _remaining, count);
                return _done;
            }

            public void Handled()
            {
                if (Interlocked.Decrement(ref _remaining) == 0)
                    _done.Set();
            }
        }

        protected override void OnReceive(object message) => counter.Handled();
    }
}

using Akka.Event;
using AkkaHibernation.Actors.Behaviours;
using AkkaHibernation.Actors.Hibernation;
using AkkaHibernation.Actors.Rooms;
using AkkaHibernation.Ids;
using AkkaHibernation.Tests.Support;
using Xunit;
using static AkkaHibernation.Tests.Support.TestIds;

namespace AkkaHibernation.Tests.Actors;

/// <summary>A room turn's rules without an actor: the undo mark, the handler timeout, and the output gate.</summary>
public sealed class HandlerRunnerSpecs
{
    private static readonly RoomKey Room = new(null, "runner");
    private static readonly HibernationSettings Settings = new(TimeSpan.FromMinutes(1), 100, 100, 1024);

    private readonly List<ChannelCall> _calls = [];
    private readonly RoomRuntime _runtime;
    private readonly RoomWebSocket _socket;

    public HandlerRunnerSpecs()
    {
        var registry = new RecordingRegistry();
        registry.Add(new RecordingChannel("c1", _calls.Add, Room));
        _runtime = new RoomRuntime(Room, Settings, registry, requestConnectionFlush: () => { });
        _socket = (RoomWebSocket)_runtime.AcceptWebSocket(new ConnectRequest(Room, Id("c1"), "/", new Dictionary<string, string>()));
        _runtime.DetachPending();
    }

    /// <summary>A behaviour that records what its error handler saw.</summary>
    private sealed class Recording : IRoomBehaviour
    {
        public Exception? Error { get; private set; }

        public ConnectResult OnConnect(ConnectRequest request) => throw new NotSupportedException();

        public void OnMessage(IHibernatableWebSocket socket, RoomMessage message) => throw new NotSupportedException();

        public void OnClose(IHibernatableWebSocket socket, int code, string reason, bool wasClean) => throw new NotSupportedException();

        public void OnError(IHibernatableWebSocket socket, Exception error) => Error = error;
    }

    private HandlerRunner Runner(TimeSpan? timeout = null) => new(Room, _runtime, timeout ?? TimeSpan.FromSeconds(30), NoLogger.Instance);

    [Fact]
    public void A_handler_that_throws_is_undone_its_error_handler_runs_and_its_socket_is_closed_with_1011()
    {
        var behaviour = new Recording();
        Runner().Run(behaviour, _socket, "OnMessage", () =>
        {
            _socket.Send("lost");
            _socket.SerializeAttachment(new { id = "lost" });
            throw new InvalidOperationException("boom");
        });
        _runtime.FlushEffects();

        Assert.Equal("boom", behaviour.Error?.Message);
        Assert.Null(_socket.DeserializeAttachment<object>());
        Assert.False(_runtime.HasPendingEvents);
        Assert.Equal([new ChannelCall.Closed("c1", 1011, "Room handler failed")], _calls);
    }

    [Fact]
    public void A_handler_that_overruns_the_timeout_fails_as_if_it_had_thrown()
    {
        var behaviour = new Recording();
        Runner(TimeSpan.FromMilliseconds(1)).Run(behaviour, _socket, "OnMessage", () =>
        {
            _socket.Send("late");
            var until = DateTime.UtcNow.AddMilliseconds(20);
            while (DateTime.UtcNow < until)
            {
                // a handler that holds the room's thread
            }
        });
        _runtime.FlushEffects();

        Assert.IsType<TimeoutException>(behaviour.Error);
        Assert.Equal([new ChannelCall.Closed("c1", 1011, "Room handler failed")], _calls);
    }

    [Fact]
    public void The_output_gate_holds_a_turns_frames_until_its_events_are_persisted()
    {
        Action? persisted = null;
        List<RoomEvents.IRoomEvent>? written = null;
        var gate = new OutputGate(_runtime, (events, then) => (written, persisted) = (events, then), () => false);

        Runner().Run(new Recording(), _socket, "OnMessage", () =>
        {
            _socket.SerializeAttachment(new { id = "kept" });
            _socket.Send("after the write");
        });
        gate.Commit();

        Assert.Single(written!);
        Assert.Empty(_calls);
        persisted!();
        Assert.Equal([new ChannelCall.Sent("c1", "after the write")], _calls);
    }

    [Fact]
    public void A_turn_that_recorded_nothing_lets_its_frames_out_at_once()
    {
        var gate = new OutputGate(_runtime, (_, _) => throw new InvalidOperationException("nothing to persist"), () => false);

        Runner().Run(new Recording(), _socket, "OnMessage", () => _socket.Send("at once"));
        gate.Commit();

        Assert.Equal([new ChannelCall.Sent("c1", "at once")], _calls);
    }

    [Fact]
    public void A_turn_that_recorded_nothing_still_waits_behind_an_earlier_turns_write()
    {
        var pending = new Queue<(List<RoomEvents.IRoomEvent> Events, Action Then)>();
        var gate = new OutputGate(_runtime, (events, then) => pending.Enqueue((events, then)), () => pending.Count > 0);

        Runner().Run(new Recording(), _socket, "OnConnect", () => _socket.SerializeAttachment(new { id = "new" }));
        gate.Commit();
        Runner().Run(new Recording(), _socket, "OnMessage", () => _socket.Send("reveals the write"));
        gate.Commit();

        Assert.Empty(_calls);
        Assert.Equal([1, 0], pending.Select(turn => turn.Events.Count));
        while (pending.TryDequeue(out var turn))
            turn.Then();
        Assert.Equal([new ChannelCall.Sent("c1", "reveals the write")], _calls);
    }
}

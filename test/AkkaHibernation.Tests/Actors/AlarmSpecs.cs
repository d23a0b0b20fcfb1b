using Akka.Actor;
using AkkaHibernation.Actors.Behaviours;
using AkkaHibernation.Actors.Hibernation;
using AkkaHibernation.Actors.Rooms;
using AkkaHibernation.Ids;
using AkkaHibernation.Tests.Support;
using Xunit;
using Xunit.Abstractions;
using static AkkaHibernation.Actors.Hibernation.HibernationProtocol;
using static AkkaHibernation.Actors.Rooms.RoomProtocol;
using static AkkaHibernation.Tests.Support.TestIds;

namespace AkkaHibernation.Tests.Actors;

/// <summary>A room's alarm: persisted, delivered at least once with backoff, waking the room if it sleeps, surviving a restart.</summary>
public sealed class AlarmSpecs : PersistenceSpec
{
    private static readonly HibernationSettings Settings =
        new(TimeSpan.FromMinutes(5), 100, 32_768, 16_384, AlarmRetryBackoff: TimeSpan.FromMilliseconds(100));

    private readonly RecordingRegistry _registry = new();
    private readonly Akka.TestKit.TestProbe _channels;
    private readonly HibernationCounters _counters = new();
    private readonly RoomKey _room = Room("alarm" + Guid.NewGuid().ToString("N")[..8]);

    public AlarmSpecs(ITestOutputHelper output) : base(output) => _channels = CreateTestProbe();

    /// <summary>"in MS" sets the alarm; "fail N" makes the next alarm fail N times; OnAlarm says "alarm:RETRIES".</summary>
    private sealed class AlarmRoom(IRoomContext context) : IRoomBehaviour
    {
        public ConnectResult OnConnect(ConnectRequest request) => ConnectResult.Accept(context.AcceptWebSocket(request));

        public void OnMessage(IHibernatableWebSocket socket, RoomMessage message)
        {
            var parts = message.Text!.Split(' ');
            if (parts[0] == "in")
                context.SetAlarm(DateTimeOffset.UtcNow.AddMilliseconds(int.Parse(parts[1])));
            else if (parts[0] == "fail")
                context.Storage.Put("fail", int.Parse(parts[1]));
            socket.Send($"ok, alarm {(context.GetAlarm() is null ? "none" : "set")}");
        }

        public void OnClose(IHibernatableWebSocket socket, int code, string reason, bool wasClean)
        {
        }

        public void OnAlarm(AlarmInvocation alarm)
        {
            if (alarm.RetryCount < context.Storage.Get<int>("fail"))
                throw new InvalidOperationException($"failing delivery {alarm.RetryCount}");
            foreach (var socket in context.GetWebSockets())
                socket.Send($"alarm:{alarm.RetryCount}");
        }
    }

    private IActorRef Manager(string name) => Sys.ActorOf(
        HibernationManager.Props(Settings, RoomTypes.WithDefault(context => new AlarmRoom(context)), _registry, _counters), name);

    private void Connect(IActorRef manager)
    {
        _registry.Add(new RecordingChannel("c1", _channels.Ref, _room));
        manager.Tell(new Connect(new ConnectRequest(_room, Id("c1"), "/", new Dictionary<string, string>())), TestActor);
        ExpectMsg<Accepted>(JournalTimeout);
    }

    private string Say(IActorRef manager, string text)
    {
        manager.Tell(new Inbound(_room, Id("c1"), RoomMessage.FromText(text)));
        return NextSent();
    }

    private string NextSent() => _channels.NextSentText(JournalTimeout);

    private void Hibernate(IActorRef manager)
    {
        var hibernations = _counters.Hibernations;
        Sys.ActorSelection(manager.Path / _room.PersistenceId).Tell(HibernateNow.Instance);
        AwaitCondition(() => _counters.Hibernations > hibernations, JournalTimeout, TimeSpan.FromMilliseconds(10));
    }

    [Fact]
    public void An_alarm_runs_at_its_time_and_is_then_gone()
    {
        var manager = Manager("alarms-a");
        Connect(manager);

        Assert.Equal("ok, alarm set", Say(manager, "in 200"));

        Assert.Equal("alarm:0", NextSent());
        Assert.Equal("ok, alarm none", Say(manager, "status"));
    }

    [Fact]
    public void An_alarm_wakes_a_hibernated_room()
    {
        var manager = Manager("alarms-b");
        Connect(manager);
        Assert.Equal("ok, alarm set", Say(manager, "in 3000"));
        Hibernate(manager);

        Assert.Equal("alarm:0", NextSent());
        Assert.Equal(2, _counters.Wakes); // the first start, then the alarm's wake
    }

    [Fact]
    public void A_failing_alarm_is_retried_with_backoff_until_it_succeeds()
    {
        var manager = Manager("alarms-c");
        Connect(manager);
        Say(manager, "fail 2");

        Say(manager, "in 50");

        // Two failures (retried after 100 ms, then 200 ms), then the third delivery succeeds, once.
        Assert.Equal("alarm:2", NextSent());
        _channels.ExpectNoMsg(TimeSpan.FromMilliseconds(500));
    }

    [Fact]
    public void An_alarm_of_a_room_asleep_through_a_restart_still_wakes_it()
    {
        var first = Manager("alarms-d1");
        Connect(first);
        Assert.Equal("ok, alarm set", Say(first, "in 4000"));
        Hibernate(first);
        Watch(first);
        Sys.Stop(first);
        ExpectTerminated(first, JournalTimeout);

        // A new manager (as after a restart) learns the alarm from the alarm index and wakes the room.
        Manager("alarms-d2");

        Assert.Equal("alarm:0", NextSent());
    }
}

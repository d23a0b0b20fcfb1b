using AkkaHibernation.Actors.Behaviours;
using AkkaHibernation.Actors.Hibernation;
using AkkaHibernation.Actors.Rooms;
using AkkaHibernation.Ids;
using AkkaHibernation.Tests.Support;
using Xunit;
using Xunit.Abstractions;
using static AkkaHibernation.Actors.Rooms.RoomProtocol;
using static AkkaHibernation.Tests.Support.TestIds;

namespace AkkaHibernation.Tests.Actors;

/// <summary>Room types: registration, room keys, and each room running the behaviour of its type.</summary>
public sealed class RoomTypesSpecs : PersistenceSpec
{
    private static readonly HibernationSettings Settings = new(TimeSpan.FromMinutes(5), 100, 32_768, 16_384);

    private readonly RecordingRegistry _registry = new();
    private readonly Akka.TestKit.TestProbe _channels;

    public RoomTypesSpecs(ITestOutputHelper output) : base(output) => _channels = CreateTestProbe();

    /// <summary>Greets each socket with the room's type and name as its context reports them.</summary>
    private sealed class Greeter(IRoomContext context, string greeting) : IRoomBehaviour
    {
        public ConnectResult OnConnect(ConnectRequest request)
        {
            var socket = context.AcceptWebSocket(request);
            socket.Send($"{greeting} {context.RoomType ?? "(default)"}/{context.RoomName}");
            return ConnectResult.Accept(socket);
        }

        public void OnMessage(IHibernatableWebSocket socket, RoomMessage message) { }

        public void OnClose(IHibernatableWebSocket socket, int code, string reason, bool wasClean) { }
    }

    private object Connect(Akka.Actor.IActorRef manager, string roomKey, string connectionId)
    {
        _registry.Add(new RecordingChannel(connectionId, _channels.Ref, Room(roomKey)));
        manager.Tell(new Connect(new ConnectRequest(Room(roomKey), Id(connectionId), "/", new Dictionary<string, string>())), TestActor);
        return ExpectMsg<object>(JournalTimeout);
    }

    [Theory]
    [InlineData("", "Room type must not be empty")]
    [InlineData("Chat", "Room type may contain only lower-case letters a-z, digits 0-9 and '-', and must start with a letter")]
    [InlineData("main", "Room type 'main' is the default type's name in /parties/main/{room}")]
    [InlineData("game", "Room type 'game' is already registered")]
    public void Registration_refuses_invalid_reserved_and_duplicate_names(string name, string error)
    {
        var types = RoomTypes.Seed.With("game", context => new Greeter(context, "hi"));
        var refused = Assert.Throws<ArgumentException>(() => types.With(name, context => new Greeter(context, "hi")));
        Assert.Equal(error + " (Parameter 'name')", refused.Message);
    }

    [Fact]
    public void Each_room_runs_the_behaviour_of_its_type_under_its_own_journal()
    {
        var types = RoomTypes.WithDefault(context => new Greeter(context, "seed"))
            .With("game", context => new Greeter(context, "game"));
        var manager = Sys.ActorOf(HibernationManager.Props(Settings, types, _registry, new HibernationCounters()));

        Assert.IsType<Accepted>(Connect(manager, "game:lobby", "g1"));
        _channels.ExpectMsg(new ChannelCall.Sent("g1", "game game/lobby"), JournalTimeout);
        Assert.IsType<Accepted>(Connect(manager, "lobby", "s1"));
        _channels.ExpectMsg(new ChannelCall.Sent("s1", "seed (default)/lobby"), JournalTimeout);

        AwaitAssert(() => Assert.Equal(
            ["room-game:lobby", "room-lobby"],
            Database.Query("select distinct persistence_id from journal where persistence_id like 'room-%' order by persistence_id")),
            JournalTimeout);
    }

    [Fact]
    public void A_room_whose_type_is_not_registered_refuses_connections_with_404()
    {
        var manager = Sys.ActorOf(HibernationManager.Props(Settings, RoomTypes.Seed, _registry, new HibernationCounters()));

        var rejected = Assert.IsType<Rejected>(Connect(manager, "retired:lobby", "r1"));

        Assert.Equal(new Rejected(Id("r1"), 404, "Room type 'retired' is not registered on this server"), rejected);
    }
}

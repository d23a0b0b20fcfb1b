using System.Text.Json;
using Akka.Actor;
using Akka.TestKit;
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

/// <summary>The room author's API beyond the seed: tags, limits and durable storage, on a real SQLite journal.</summary>
public sealed class RoomApiSpecs : PersistenceSpec
{
    private static readonly HibernationSettings Settings = new(TimeSpan.FromMinutes(5), 100, 32_768, 16_384, MaxStorageValueBytes: 64);

    private readonly RecordingRegistry _registry = new();
    private readonly TestProbe _parent;
    private readonly TestProbe _channels;
    private readonly RoomKey _room = Room("api" + Guid.NewGuid().ToString("N")[..8]);

    public RoomApiSpecs(ITestOutputHelper output) : base(output)
    {
        _parent = CreateTestProbe();
        _channels = CreateTestProbe();
    }

    /// <summary>A room driven by text commands: "put KEY JSON", "get KEY", "del KEY", "list OPTIONS-JSON", "put-then-fail KEY".</summary>
    private sealed class Scripted(IRoomContext context) : IRoomBehaviour
    {
        public ConnectResult OnConnect(ConnectRequest request)
        {
            var tags = request.Headers.TryGetValue("X-Tags", out var list) ? list.Split(',') : [];
            try
            {
                return ConnectResult.Accept(context.AcceptWebSocket(request, tags));
            }
            catch (ArgumentException error)
            {
                return ConnectResult.Reject(400, error.Message);
            }
        }

        public void OnMessage(IHibernatableWebSocket socket, RoomMessage message)
        {
            var parts = message.Text!.Split(' ', 3);
            try
            {
                switch (parts[0])
                {
                    case "put":
                        context.Storage.Put(parts[1], JsonDocument.Parse(parts[2]).RootElement);
                        socket.Send("ok");
                        break;
                    case "get":
                        socket.Send(context.Storage.Get<JsonElement?>(parts[1])?.GetRawText() ?? "none");
                        break;
                    case "del":
                        socket.Send(context.Storage.Delete(parts[1]) ? "deleted" : "absent");
                        break;
                    case "list":
                        var options = JsonSerializer.Deserialize<StorageListOptions>(message.Text![5..], new JsonSerializerOptions(JsonSerializerDefaults.Web));
                        socket.Send(string.Join(",", context.Storage.List(options).Select(e => e.Key)));
                        break;
                    case "attach":
                        socket.SerializeAttachment(new string('a', int.Parse(parts[1])));
                        socket.Send("ok");
                        break;
                    case "attachment":
                        socket.Send(socket.DeserializeAttachment<string>()?.Length.ToString() ?? "none");
                        break;
                    case "stamp":
                        socket.Send(context.GetWebSocketAutoResponseTimestamp(socket)?.ToString("o") ?? "none");
                        break;
                    case "slow-put":
                        context.Storage.Put(parts[1], 1);
                        Thread.Sleep(int.Parse(parts[2])); // a handler that overruns the handler timeout
                        socket.Send("ok");
                        break;
                    case "put-then-fail":
                        context.Storage.Put(parts[1], 1);
                        throw new InvalidOperationException("fails after a write");
                    case "tagged":
                        socket.Send(string.Join(",", context.GetWebSockets(parts[1]).Select(s => string.Join("+", context.GetTags(s)))));
                        break;
                    case "auto":
                        context.SetWebSocketAutoResponse(new AutoResponsePair(parts[1], new string('x', int.Parse(parts[2]))));
                        socket.Send("ok");
                        break;
                }
            }
            catch (ArgumentException error)
            {
                socket.Send("error: " + error.Message);
            }
        }

        /// <summary>Tells the other sockets how long the closed socket's attachment was, read in OnClose.</summary>
        public void OnClose(IHibernatableWebSocket socket, int code, string reason, bool wasClean)
        {
            var attachment = socket.DeserializeAttachment<string>()?.Length.ToString() ?? "none";
            foreach (var other in context.GetWebSockets())
                other.Send($"closed {socket.ConnectionId} with attachment {attachment}");
        }
    }

    private IActorRef StartRoom(HibernationSettings? settings = null)
    {
        var room = _parent.ChildActorOf(RoomActor.Props(_room, settings ?? Settings, context => new Scripted(context), _registry));
        _parent.ExpectMsg<RoomRecovered>(JournalTimeout);
        return room;
    }

    private object Connect(IActorRef room, string connectionId, string? tags = null)
    {
        _registry.Add(new RecordingChannel(connectionId, _channels.Ref, _room) { LastAutoResponseAt = AutoResponseStamp });
        var headers = tags is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["X-Tags"] = tags };
        room.Tell(new Connect(new ConnectRequest(_room, Id(connectionId), "/", headers)), TestActor);
        return ExpectMsg<object>(JournalTimeout);
    }

    private string Ask(IActorRef room, string command)
    {
        room.Tell(new Inbound(_room, Id("c1"), RoomMessage.FromText(command)));
        return _channels.NextSentText(JournalTimeout);
    }

    private void Stop(IActorRef room, bool snapshot)
    {
        if (snapshot)
        {
            room.Tell(HibernateNow.Instance);
            _parent.ExpectMsg<RequestPassivation>(JournalTimeout);
        }
        Watch(room);
        room.Tell(StopRoom.Instance);
        ExpectTerminated(room, JournalTimeout);
    }

    [Fact]
    public void Storage_survives_hibernation_from_events_and_from_a_snapshot()
    {
        var room = StartRoom();
        Assert.IsType<Accepted>(Connect(room, "c1"));
        Assert.Equal("ok", Ask(room, "put greeting {\"text\":\"hi\"}"));
        Assert.Equal("ok", Ask(room, "put count 3"));
        Stop(room, snapshot: false);

        room = StartRoom();
        Assert.Equal("{\"text\":\"hi\"}", Ask(room, "get greeting"));
        Assert.Equal("deleted", Ask(room, "del count"));
        Assert.Equal("absent", Ask(room, "del count"));
        Stop(room, snapshot: true);

        room = StartRoom();
        Assert.Equal("{\"text\":\"hi\"}", Ask(room, "get greeting"));
        Assert.Equal("none", Ask(room, "get count"));
    }

    [Fact]
    public void List_orders_keys_ordinally_and_filters_by_prefix_range_limit_and_direction()
    {
        var room = StartRoom();
        Connect(room, "c1");
        foreach (var key in new[] { "msg:003", "msg:001", "user:b", "msg:002", "user:a", "Msg:000" })
            Assert.Equal("ok", Ask(room, $"put {key} 1"));

        Assert.Equal("Msg:000,msg:001,msg:002,msg:003,user:a,user:b", Ask(room, "list {}"));
        Assert.Equal("msg:001,msg:002,msg:003", Ask(room, "list {\"prefix\":\"msg:\"}"));
        Assert.Equal("msg:003,msg:002", Ask(room, "list {\"prefix\":\"msg:\",\"reverse\":true,\"limit\":2}"));
        Assert.Equal("msg:002,msg:003,user:a", Ask(room, "list {\"start\":\"msg:002\",\"end\":\"user:b\"}"));
    }

    [Fact]
    public void A_handler_that_fails_after_a_write_leaves_no_write_behind()
    {
        var room = StartRoom();
        Connect(room, "c1");

        room.Tell(new Inbound(_room, Id("c1"), RoomMessage.FromText("put-then-fail ghost")));
        _channels.ExpectMsg(new ChannelCall.Closed("c1", 1011, "Room handler failed"), JournalTimeout);

        Assert.Equal("none", Ask(room, "get ghost"));
        Assert.Empty(Database.Query($"select manifest from journal where persistence_id = 'room-{_room}' and manifest = 'StoragePut.v1'"));
    }

    private static readonly DateTimeOffset AutoResponseStamp = new(2026, 11, 27, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_attachment_over_the_limit_is_refused_and_one_within_it_survives_hibernation_and_is_readable_in_OnClose()
    {
        var room = StartRoom();
        Connect(room, "c1");
        Connect(room, "c2");

        Assert.Equal("error: Attachment is 16387 bytes serialized; the limit is 16384 bytes (Parameter 'value')", Ask(room, "attach 16385"));
        Assert.Equal("ok", Ask(room, "attach 16382"));
        Stop(room, snapshot: true);

        room = StartRoom();
        Assert.Equal("16382", Ask(room, "attachment"));
        room.Tell(new Closed(_room, Id("c1"), 1000, "bye", true));
        _channels.FishForMessage(m => m is ChannelCall.Sent { ConnectionId: "c2" } sent
            && sent.Text == "closed c1 with attachment 16382", JournalTimeout);
    }

    [Fact]
    public void The_auto_response_timestamp_is_the_transports_and_reads_the_same_after_hibernation()
    {
        var room = StartRoom();
        Connect(room, "c1");
        Assert.Equal(AutoResponseStamp.ToString("o"), Ask(room, "stamp"));
        Stop(room, snapshot: true);

        room = StartRoom();
        Assert.Equal(AutoResponseStamp.ToString("o"), Ask(room, "stamp"));
    }

    [Fact]
    public void A_handler_that_overruns_the_handler_timeout_fails_like_a_throw_and_the_room_carries_on()
    {
        var room = StartRoom(Settings with { EventHandlerTimeout = TimeSpan.FromMilliseconds(100) });
        Connect(room, "c1");
        Connect(room, "c2");

        room.Tell(new Inbound(_room, Id("c1"), RoomMessage.FromText("slow-put late 300")));
        _channels.ExpectMsg(new ChannelCall.Closed("c1", 1011, "Room handler failed"), JournalTimeout);

        room.Tell(new Inbound(_room, Id("c2"), RoomMessage.FromText("get late")));
        _channels.ExpectMsg(new ChannelCall.Sent("c2", "none"), JournalTimeout);
    }

    [Fact]
    public void Limits_are_clear_errors_for_the_room_author()
    {
        var room = StartRoom();
        Connect(room, "c1");

        Assert.Equal("error: Value for 'big' is 66 bytes serialized; the limit is 64 bytes (Parameter 'value')",
            Ask(room, $"put big \"{new string('x', 64)}\""));
        Assert.Equal("error: Storage key must be 1 to 2048 UTF-8 bytes, got 2049 (Parameter 'key')",
            Ask(room, $"put {new string('k', 2049)} 1"));
        Assert.Equal("error: Auto-response texts may be 2048 UTF-8 bytes; one is 2049 (Parameter 'pair')", Ask(room, "auto ping 2049"));
        Assert.Equal("ok", Ask(room, "auto ping 2048"));

        var tooMany = Connect(room, "c2", string.Join(",", Enumerable.Range(0, 11).Select(i => $"t{i}")));
        Assert.Equal(new Rejected(Id("c2"), 400, "A socket may carry 10 tags, got 11 (Parameter 'tags')"), tooMany);
        var tooLong = Connect(room, "c3", new string('t', 257));
        Assert.Equal(400, Assert.IsType<Rejected>(tooLong).Status);
    }

    [Fact]
    public void GetWebSockets_filters_by_tag_and_GetTags_returns_a_sockets_tags()
    {
        var room = StartRoom();
        Connect(room, "c1", "admin,blue");
        Connect(room, "c2", "blue");
        Connect(room, "c3", "green");

        Assert.Equal("admin+blue,blue", Ask(room, "tagged blue"));
        Assert.Equal("green", Ask(room, "tagged green"));
        Assert.Equal("", Ask(room, "tagged red"));
    }
}

using AkkaHibernation.Server.Hosting;
using AkkaHibernation.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Xunit;
using Xunit.Abstractions;

namespace AkkaHibernation.Tests.Server;

/// <summary>Room types registered on a server: names checked where they are written, rooms made through DI on every wake.</summary>
public sealed class RoomRegistrationsSpecs(ITestOutputHelper output)
{
    public sealed class Greeting
    {
        public string Text { get; set; } = "";
    }

    /// <summary>Takes its context, a logger and options from the container, as a room author's class would.</summary>
    public sealed class Greeter(IRoomContext context, ILogger<Greeter> log, IOptions<Greeting> greeting) : IRoomBehaviour
    {
        public ConnectResult OnConnect(ConnectRequest request)
        {
            log.LogInformation("Greeting {Connection}", request.ConnectionId);
            var socket = context.AcceptWebSocket(request);
            socket.Send($"{greeting.Value.Text} from {context.RoomType}/{context.RoomName}");
            return ConnectResult.Accept(socket);
        }

        public void OnMessage(IHibernatableWebSocket socket, RoomMessage message) { }

        public void OnClose(IHibernatableWebSocket socket, int code, string reason, bool wasClean) { }
    }

    [Theory]
    [InlineData("Chat", "Room type may contain only lower-case letters a-z, digits 0-9 and '-', and must start with a letter")]
    [InlineData("main", "Room type 'main' is the default type's name in /parties/main/{room}")]
    [InlineData("greeter", "Room type 'greeter' is already registered")]
    public void A_name_that_cannot_be_served_is_refused_where_it_is_registered(string name, string error)
    {
        var server = HibernationServer.CreateBuilder([]).AddRoomType<Greeter>("greeter");

        Assert.Equal(error + " (Parameter 'name')", Assert.Throws<ArgumentException>(() => server.AddRoomType<Greeter>(name)).Message);
    }

    [Fact]
    public async Task A_registered_room_is_made_with_its_context_and_the_services_it_asks_for()
    {
        var registrations = new RoomRegistrations();
        registrations.Add<Greeter>("greeter");
        using var services = new ServiceCollection()
            .AddLogging()
            .Configure<Greeting>(greeting => greeting.Text = "hello")
            .BuildServiceProvider();
        using var database = new TestDatabase();
        await using var node = await TestNode.StartWithRoomsAsync(database, output, registrations.Build(services));

        await using var client = await TestClient.ConnectAsync(node.WebSocket("/parties/greeter/lobby"));

        Assert.Equal("hello from greeter/lobby", await client.ReceiveAsync());
    }
}

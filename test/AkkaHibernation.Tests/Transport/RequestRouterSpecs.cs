using System.Text;
using AkkaHibernation.Transport.Routing;
using AkkaHibernation.Transport.StaticFiles;
using Xunit;

namespace AkkaHibernation.Tests.Transport;

/// <summary>The routing rules as a pure function (the end-to-end specs check the same over real HTTP).</summary>
public sealed class RequestRouterSpecs
{
    private static readonly Dictionary<string, string> ValidUpgrade = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Upgrade"] = "websocket",
        ["Connection"] = "keep-alive, Upgrade",
        ["Sec-WebSocket-Version"] = "13",
        ["Sec-WebSocket-Key"] = "dGhlIHNhbXBsZSBub25jZQ==",
    };

    private static RouteDecision Route(string method, string url, IReadOnlyDictionary<string, string>? headers = null) =>
        RequestRouter.Route(method, url, name => (headers ?? ValidUpgrade).GetValueOrDefault(name));

    [Theory]
    [InlineData("/websocket", "foo")]
    [InlineData("/x/y/websocket", "foo")]
    [InlineData("/rooms/websocket", "foo")]
    [InlineData("/rooms/lobby/websocket", "lobby")]
    [InlineData("/rooms/a.b-c_D9/websocket", "a.b-c_D9")]
    [InlineData("http://127.0.0.1:8080/rooms/abs/websocket", "abs")]
    public void Upgrade_routes_name_the_room(string url, string room) =>
        Assert.Equal(new RouteDecision.Upgrade(room), Route("GET", url));

    [Fact]
    public void The_seed_checks_run_before_the_room_name_and_handshake_checks()
    {
        var noUpgrade = new Dictionary<string, string>();
        Assert.Equal(426, Assert.IsType<RouteDecision.Respond>(Route("POST", "/rooms/bad!/websocket", noUpgrade)).Status);
        Assert.Equal(RequestRouter.ExpectedGet, Assert.IsType<RouteDecision.Respond>(Route("POST", "/rooms/bad!/websocket")).Body);
        Assert.Equal(400, Assert.IsType<RouteDecision.Respond>(Route("GET", "/rooms/bad!/websocket")).Status);
    }

    [Fact]
    public void A_query_string_after_websocket_is_not_the_websocket_route() =>
        Assert.Equal(RequestRouter.SupportedEndpoints, Assert.IsType<RouteDecision.Respond>(Route("GET", "/websocket?x=1")).Body);

    private static readonly StaticFile Index = new("text/html; charset=utf-8", Encoding.UTF8.GetBytes("<h1>demo</h1>"));
    private static readonly StaticFile Script = new("text/javascript; charset=utf-8", Encoding.UTF8.GetBytes("1"));

    private static readonly RouteTable Routes = new(
        new HashSet<string> { "chat" },
        [new StaticSite("/demo/", new Dictionary<string, StaticFile> { ["index.html"] = Index, ["app.js"] = Script })]);

    private static RouteDecision RouteWithTypes(string method, string url, IReadOnlyDictionary<string, string>? headers = null) =>
        RequestRouter.Route(method, url, name => (headers ?? ValidUpgrade).GetValueOrDefault(name), Routes);

    [Theory]
    [InlineData("/chat/lobby/websocket", "chat:lobby")]
    [InlineData("/chat/lobby/websocket?name=alice", "chat:lobby")]
    [InlineData("http://127.0.0.1:8080/chat/a.b/websocket?x=1", "chat:a.b")]
    [InlineData("/game/lobby/websocket", "foo")] // not a registered type: the seed's rule, any path ending in /websocket
    [InlineData("/rooms/lobby/websocket", "lobby")]
    [InlineData("/websocket", "foo")]
    public void A_registered_room_type_answers_type_room_websocket_and_the_seed_routes_stay(string url, string roomKey) =>
        Assert.Equal(new RouteDecision.Upgrade(roomKey), RouteWithTypes("GET", url));

    [Fact]
    public void A_typed_route_runs_the_seed_checks_in_the_seed_order()
    {
        Assert.Equal(426, Assert.IsType<RouteDecision.Respond>(RouteWithTypes("POST", "/chat/bad!/websocket", new Dictionary<string, string>())).Status);
        Assert.Equal(RequestRouter.ExpectedGet, Assert.IsType<RouteDecision.Respond>(RouteWithTypes("POST", "/chat/bad!/websocket")).Body);
        var badName = Assert.IsType<RouteDecision.Respond>(RouteWithTypes("GET", "/chat/bad!/websocket?name=a"));
        Assert.Equal((400, "Room name may contain only letters A-Z and a-z, digits 0-9, '-', '_' and '.'"), (badName.Status, badName.Body));
    }

    [Fact]
    public void A_static_site_serves_its_files_its_index_and_clear_errors()
    {
        Assert.Equal(new RouteDecision.ServeFile(Index), RouteWithTypes("GET", "/demo/"));
        Assert.Equal(new RouteDecision.ServeFile(Index), RouteWithTypes("GET", "/demo/?room=lobby"));
        Assert.Equal(new RouteDecision.ServeFile(Script), RouteWithTypes("GET", "/demo/app.js"));

        var redirect = Assert.IsType<RouteDecision.Respond>(RouteWithTypes("GET", "/demo"));
        Assert.Equal((301, "/demo/"), (redirect.Status, redirect.Headers!["Location"]));
        var missing = Assert.IsType<RouteDecision.Respond>(RouteWithTypes("GET", "/demo/../secret"));
        Assert.Equal((404, "Not found: /demo/../secret"), (missing.Status, missing.Body));
        var post = Assert.IsType<RouteDecision.Respond>(RouteWithTypes("POST", "/demo/"));
        Assert.Equal((405, "GET"), (post.Status, post.Headers!["Allow"]));
        Assert.Equal(RequestRouter.SupportedEndpoints, Assert.IsType<RouteDecision.Respond>(RouteWithTypes("GET", "/demonstration")).Body);
    }
}

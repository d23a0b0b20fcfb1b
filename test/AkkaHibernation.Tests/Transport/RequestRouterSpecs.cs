using System.Text;
using AkkaHibernation.Ids;
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
    [InlineData("/rooms/lobby/websocket", "foo")] // every URL that ends so is the seed's, as in the seed
    [InlineData("/parties/main/lobby/websocket", "foo")]
    [InlineData("http://127.0.0.1:8080/rooms/abs/websocket", "foo")]
    [InlineData("/rooms/lobby", "lobby")]
    [InlineData("/rooms/a.b-c_D9?x=1", "a.b-c_D9")]
    [InlineData("/parties/main/lobby", "lobby")] // the default type's party name: the same room as /rooms/lobby
    [InlineData("/parties/main/foo?_pk=6c1f", "foo")] // PartyKit's client, in the seed's room
    [InlineData("http://127.0.0.1:8080/rooms/abs", "abs")]
    public void Upgrade_routes_name_the_room(string url, string room) =>
        Assert.Equal(new RouteDecision.Upgrade(RoomKey.Parse(room)), Route("GET", url));

    [Fact]
    public void The_seed_checks_run_before_the_room_name_and_handshake_checks()
    {
        var noUpgrade = new Dictionary<string, string>();
        Assert.Equal(426, Assert.IsType<RouteDecision.Respond>(Route("POST", "/rooms/bad!", noUpgrade)).Status);
        Assert.Equal(RequestRouter.ExpectedGet, Assert.IsType<RouteDecision.Respond>(Route("POST", "/rooms/bad!")).Body);
        Assert.Equal(400, Assert.IsType<RouteDecision.Respond>(Route("GET", "/rooms/bad!")).Status);
        Assert.Equal(426, Assert.IsType<RouteDecision.Respond>(Route("GET", "/parties/nope/x", noUpgrade)).Status);
    }

    [Theory]
    [InlineData("/websocket?x=1")]
    [InlineData("/rooms")]
    [InlineData("/parties")]
    [InlineData("/roomsx/a")]
    public void Other_urls_get_the_seeds_endpoint_list(string url) =>
        Assert.Equal(RequestRouter.SupportedEndpoints, Assert.IsType<RouteDecision.Respond>(Route("GET", url)).Body);

    [Theory]
    [InlineData("/rooms/", 400, "Room name must not be empty")]
    [InlineData("/rooms/a/b", 400, "Room name may contain only letters A-Z and a-z, digits 0-9, '-', '_' and '.'")]
    [InlineData("/parties/main", 400, "A party route is /parties/{type}/{room}: 'main' names no room")]
    [InlineData("/parties/game/lobby", 404, "Room type 'game' is not served here; types: main")]
    [InlineData("/parties/main/", 400, "Room name must not be empty")]
    public void Bad_room_routes_say_why(string url, int status, string body)
    {
        var refused = Assert.IsType<RouteDecision.Respond>(Route("GET", url));
        Assert.Equal((status, body), (refused.Status, refused.Body));
    }

    private static readonly StaticFile Index = new("text/html; charset=utf-8", Encoding.UTF8.GetBytes("<h1>demo</h1>"));
    private static readonly StaticFile Script = new("text/javascript; charset=utf-8", Encoding.UTF8.GetBytes("1"));

    private static readonly RouteTable Routes = new(
        new HashSet<string> { "chat" },
        [new StaticSite("/demo/", new Dictionary<string, StaticFile> { ["index.html"] = Index, ["app.js"] = Script })]);

    private static RouteDecision RouteWithTypes(string method, string url, IReadOnlyDictionary<string, string>? headers = null) =>
        RequestRouter.Route(method, url, name => (headers ?? ValidUpgrade).GetValueOrDefault(name), Routes);

    [Theory]
    [InlineData("/parties/chat/lobby", "chat:lobby")]
    [InlineData("/parties/chat/lobby?name=alice", "chat:lobby")]
    [InlineData("http://127.0.0.1:8080/parties/chat/a.b?x=1", "chat:a.b")]
    [InlineData("/parties/chat/lobby/websocket", "foo")]
    [InlineData("/parties/main/lobby", "lobby")]
    [InlineData("/rooms/lobby", "lobby")]
    [InlineData("/demo/websocket", "foo")]
    public void A_registered_room_type_answers_its_party_route_and_the_seed_routes_stay(string url, string roomKey) =>
        Assert.Equal(new RouteDecision.Upgrade(RoomKey.Parse(roomKey)), RouteWithTypes("GET", url));

    [Fact]
    public void A_typed_route_runs_the_seed_checks_in_the_seed_order()
    {
        Assert.Equal(426, Assert.IsType<RouteDecision.Respond>(RouteWithTypes("POST", "/parties/chat/bad!", new Dictionary<string, string>())).Status);
        Assert.Equal(RequestRouter.ExpectedGet, Assert.IsType<RouteDecision.Respond>(RouteWithTypes("POST", "/parties/chat/bad!")).Body);
        var badName = Assert.IsType<RouteDecision.Respond>(RouteWithTypes("GET", "/parties/chat/bad!?name=a"));
        Assert.Equal((400, "Room name may contain only letters A-Z and a-z, digits 0-9, '-', '_' and '.'"), (badName.Status, badName.Body));
        var unknown = Assert.IsType<RouteDecision.Respond>(RouteWithTypes("GET", "/parties/game/lobby"));
        Assert.Equal((404, "Room type 'game' is not served here; types: main, chat"), (unknown.Status, unknown.Body));
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
        Assert.Equal((405, "GET, HEAD"), (post.Status, post.Headers!["Allow"]));
        Assert.Equal(new RouteDecision.ServeFile(Index), RouteWithTypes("HEAD", "/demo/"));
        Assert.Equal(RequestRouter.SupportedEndpoints, Assert.IsType<RouteDecision.Respond>(RouteWithTypes("GET", "/demonstration")).Body);
    }
}

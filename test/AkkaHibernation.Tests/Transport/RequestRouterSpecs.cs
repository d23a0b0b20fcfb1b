using AkkaHibernation.Transport.Routing;
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
}

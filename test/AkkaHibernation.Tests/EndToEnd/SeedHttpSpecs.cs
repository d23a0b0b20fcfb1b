using System.Net;
using System.Net.Http.Headers;
using AkkaHibernation.Server.Node;
using AkkaHibernation.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace AkkaHibernation.Tests.EndToEnd;

/// <summary>BEHAVIOUR.md, HTTP: the seed Worker's responses, byte for byte, over a real HttpListener.</summary>
public sealed class SeedHttpSpecs(ITestOutputHelper output) : NodeSpec(output)
{
    // With the chat sample registered, the seed's routes answer exactly as on the shipped host, and a static site is there to HEAD.
    protected override HostedRooms ServedRooms => ChatHosting.Rooms();

    private readonly HttpClient _http = new();

    public override async Task DisposeAsync()
    {
        _http.Dispose();
        await base.DisposeAsync();
    }

    [Theory]
    [InlineData("GET", "/")]
    [InlineData("GET", "/anything/else")]
    [InlineData("POST", "/")]
    [InlineData("DELETE", "/websocket/")]
    [InlineData("GET", "/websocket?room=1")]
    [InlineData("GET", "/websockets")]
    [InlineData("GET", "/rooms")]
    [InlineData("GET", "/parties")]
    public async Task Every_other_request_gets_the_supported_endpoints_text(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), Node.Http(path));
        if (method != "GET")
            request.Content = new StringContent("");
        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.ToString());
        Assert.Equal(Seed.SupportedEndpoints, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/websocket", null)]
    [InlineData("/websocket", "WebSocket")]
    [InlineData("/websocket", "h2c")]
    [InlineData("/a/b/websocket", null)]
    [InlineData("/rooms/lobby/websocket", "websockets")]
    [InlineData("/rooms/lobby", null)]
    [InlineData("/parties/main/lobby?_pk=1", "WebSocket")]
    public async Task The_websocket_route_without_Upgrade_websocket_gets_426(string path, string? upgrade)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Node.Http(path));
        if (upgrade is not null)
            request.Headers.TryAddWithoutValidation("Upgrade", upgrade);
        using var response = await _http.SendAsync(request);

        Assert.Equal((HttpStatusCode)426, response.StatusCode);
        Assert.Equal("Worker expected Upgrade: websocket", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_upgrade_check_comes_before_the_method_check()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Node.Http("/websocket")) { Content = new StringContent("") };
        using var response = await _http.SendAsync(request);

        Assert.Equal((HttpStatusCode)426, response.StatusCode);
        Assert.Equal("Worker expected Upgrade: websocket", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    public async Task A_websocket_upgrade_with_another_method_gets_400(string method)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), Node.Http("/websocket")) { Content = new StringContent("") };
        request.Headers.TryAddWithoutValidation("Upgrade", "websocket");
        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Worker expected GET method", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/rooms/bad!name", "Room name may contain only letters A-Z and a-z, digits 0-9, '-', '_' and '.'")]
    [InlineData("/rooms/", "Room name must not be empty")]
    [InlineData("/rooms/a/b?x=1", "Room name may contain only letters A-Z and a-z, digits 0-9, '-', '_' and '.'")]
    [InlineData("/parties/main/bad!name", "Room name may contain only letters A-Z and a-z, digits 0-9, '-', '_' and '.'")]
    public async Task A_bad_room_name_gets_400_saying_why(string path, string reason)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Node.Http(path));
        request.Headers.TryAddWithoutValidation("Upgrade", "websocket");
        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(reason, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_room_name_over_64_characters_gets_400()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Node.Http($"/rooms/{new string('r', 65)}"));
        request.Headers.TryAddWithoutValidation("Upgrade", "websocket");
        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Room name must be at most 64 characters, got 65", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/", null, 200)]
    [InlineData("/websocket", null, 426)]
    [InlineData("/websocket", "websocket", 400)]
    [InlineData("/rooms/lobby", "websocket", 400)]
    [InlineData("/demo/", null, 200)]
    public async Task HEAD_gets_the_GET_answers_headers_and_no_body(string path, string? upgrade, int status)
    {
        using var get = new HttpRequestMessage(HttpMethod.Get, Node.Http(path));
        using var head = new HttpRequestMessage(HttpMethod.Head, Node.Http(path));
        if (upgrade is not null)
            head.Headers.TryAddWithoutValidation("Upgrade", upgrade);
        using var getResponse = await _http.SendAsync(get);
        var getBody = await getResponse.Content.ReadAsByteArrayAsync();

        // Read off the raw socket: HttpClient would hide a body that a HEAD response must not carry.
        await using var raw = await RawClient.ConnectAsync(Node.Port);
        var answer = await raw.RequestAsync(
            $"HEAD {path} HTTP/1.1\r\nHost: 127.0.0.1:{Node.Port}\r\n{(upgrade is null ? "" : $"Upgrade: {upgrade}\r\n")}Connection: close\r\n\r\n",
            readToEnd: true);

        Assert.StartsWith($"HTTP/1.1 {status} ", answer);
        var headerEnd = answer.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.True(headerEnd > 0, answer);
        var contentLength = path == "/demo/" ? getBody.Length : (upgrade is null && path == "/" ? Seed.SupportedEndpoints.Length : -1);
        if (contentLength >= 0)
            Assert.Contains($"Content-Length: {contentLength}\r\n", answer);
        Assert.Equal("", answer[(headerEnd + 4)..]);
    }
}

using AkkaHibernation.Actors.Rooms;
using AkkaHibernation.Ids;
using AkkaHibernation.Transport.StaticFiles;

namespace AkkaHibernation.Transport.Routing;

/// <summary>
/// The seed Worker's routing (the seed: the user's reference Worker and Durable Object,
/// <c>shared/spec/seed-durable-object.md</c>), as a pure function of method, URL and headers. Every URL that ends with
/// <c>/websocket</c> is the seed's, as in the seed, and reaches room <c>foo</c>. Routes of our own never end so:
/// static sites, <c>/rooms/{name}</c> for a room of the default type and <c>/parties/{type}/{name}</c> for a room of a
/// registered type (the path PartyKit's clients build; type <c>main</c> is the default type). They are matched on the
/// path, so a client may pass a query string, and run the seed's checks in the seed's order, then the room name,
/// then the RFC 6455 handshake headers the seed leaves to its runtime.
/// </summary>
public static class RequestRouter
{
    /// <summary>Exactly the seed's body for every request that is not for the WebSocket route.</summary>
    public const string SupportedEndpoints = "Supported endpoints:\n/websocket: Expects a WebSocket upgrade request";

    /// <summary>The seed's 426 body.</summary>
    public const string ExpectedUpgrade = "Worker expected Upgrade: websocket";

    /// <summary>The seed's 400 body for a method other than GET.</summary>
    public const string ExpectedGet = "Worker expected GET method";

    /// <summary>The prefix of a room of the default type: <c>/rooms/{name}</c>.</summary>
    public const string RoomsPrefix = "/rooms/";

    /// <summary>The prefix of a room of any type: <c>/parties/{type}/{name}</c>.</summary>
    public const string PartiesPrefix = "/parties/";

    private const string WebSocketSuffix = "/websocket";
    /// <summary>The content type of every answer the server writes itself besides the seed's (errors, refusals, redirects).</summary>
    internal const string ErrorContentType = "text/plain;charset=UTF-8";

    /// <summary>Decides what to do with a request.</summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="rawUrl">The request target as sent (path and query).</param>
    /// <param name="header">Looks up a request header by name; null when absent.</param>
    /// <param name="routes">Room types and static sites besides the seed's routes (none when null).</param>
    public static RouteDecision Route(string method, string rawUrl, Func<string, string?> header, RouteTable? routes = null)
    {
        // The seed tests the full URL, so a query string after /websocket means "not the WebSocket route".
        if (rawUrl.EndsWith(WebSocketSuffix, StringComparison.Ordinal))
            return Upgrade(method, header, () => (RoomKey.Default, null));

        routes ??= RouteTable.SeedOnly;
        var path = PathOf(rawUrl);
        foreach (var site in routes.Sites)
        {
            if (StaticRoute(method, path, site) is { } served)
                return served;
        }
        if (path.StartsWith(RoomsPrefix, StringComparison.Ordinal))
            return Upgrade(method, header, () => NamedRoom(path[RoomsPrefix.Length..]));
        if (path.StartsWith(PartiesPrefix, StringComparison.Ordinal))
            return Upgrade(method, header, () => PartyRoom(path[PartiesPrefix.Length..], routes));
        return new RouteDecision.Respond(200, SupportedEndpoints, "text/plain");
    }

    /// <summary>
    /// The seed's checks, then the room (<paramref name="room"/> gives its key, or an error to answer with), then the
    /// handshake headers.
    /// </summary>
    private static RouteDecision Upgrade(string method, Func<string, string?> header, Func<(RoomKey? Key, RouteDecision.Respond? Error)> room)
    {
        if (header("Upgrade") != "websocket")
            return Error(426, ExpectedUpgrade);
        if (method != "GET")
            return Error(400, ExpectedGet);

        var (key, error) = room();
        if (error is not null)
            return error;
        return (RouteDecision?)HandshakeError(header) ?? new RouteDecision.Upgrade(key!.Value);
    }

    private static (RoomKey? Key, RouteDecision.Respond? Error) NamedRoom(string name) => Room(null, name);

    private static (RoomKey? Key, RouteDecision.Respond? Error) PartyRoom(string rest, RouteTable routes)
    {
        var separator = rest.IndexOf('/');
        if (separator < 0)
            return (null, Error(400, $"A party route is {PartiesPrefix}{{type}}/{{room}}: '{rest}' names no room"));
        var (type, name) = (rest[..separator], rest[(separator + 1)..]);
        if (type != RoomTypeName.Default && !routes.RoomTypes.Contains(type))
            return (null, Error(404, $"Room type '{type}' is not served here; types: {string.Join(", ", routes.TypeNames)}"));
        return Room(type == RoomTypeName.Default ? null : type, name);
    }

    private static (RoomKey? Key, RouteDecision.Respond? Error) Room(string? type, string name) =>
        RoomKey.TryCreate(type, name, out var key, out var invalid) ? (key, null) : (null, Error(400, invalid));

    private static string PathOf(string rawUrl)
    {
        // Only an absolute-form target (RFC 9112 §3.2.2) is parsed as a URI: on Unix, .NET reads "/path" as a file URI.
        if (!rawUrl.StartsWith('/') && Uri.TryCreate(rawUrl, UriKind.Absolute, out var absolute))
            return absolute.AbsolutePath;
        var query = rawUrl.IndexOf('?');
        return query < 0 ? rawUrl : rawUrl[..query];
    }

    private static RouteDecision? StaticRoute(string method, string path, StaticSite site)
    {
        if (path == site.Prefix[..^1])
        {
            return new RouteDecision.Respond(301, $"Moved to {site.Prefix}", ErrorContentType,
                new Dictionary<string, string> { ["Location"] = site.Prefix });
        }
        if (!path.StartsWith(site.Prefix, StringComparison.Ordinal))
            return null;
        if (method != "GET" && method != "HEAD")
        {
            return new RouteDecision.Respond(405, $"{path} only answers GET", ErrorContentType,
                new Dictionary<string, string> { ["Allow"] = "GET, HEAD" });
        }
        return site.Find(path[site.Prefix.Length..]) is { } file
            ? new RouteDecision.ServeFile(file)
            : Error(404, $"Not found: {path}");
    }

    private static RouteDecision.Respond? HandshakeError(Func<string, string?> header)
    {
        var connection = header("Connection") ?? "";
        if (!connection.Split(',').Any(token => token.Trim().Equals("upgrade", StringComparison.OrdinalIgnoreCase)))
            return Error(400, "WebSocket upgrade needs a Connection header that includes 'Upgrade'");

        var version = header("Sec-WebSocket-Version");
        if (version != "13")
        {
            return new RouteDecision.Respond(426,
                $"Unsupported Sec-WebSocket-Version '{version}': this server speaks version 13 (RFC 6455)",
                ErrorContentType,
                new Dictionary<string, string> { ["Sec-WebSocket-Version"] = "13" });
        }

        if (!IsValidKey(header("Sec-WebSocket-Key")))
            return Error(400, "WebSocket upgrade needs a Sec-WebSocket-Key header holding 16 bytes in base64");
        return null;
    }

    private static bool IsValidKey(string? key)
    {
        Span<byte> decoded = stackalloc byte[24];
        return key is not null && Convert.TryFromBase64String(key.Trim(), decoded, out var length) && length == 16;
    }

    private static RouteDecision.Respond Error(int status, string body) => new(status, body, ErrorContentType);
}

using AkkaHibernation.Actors.Rooms;
using AkkaHibernation.Transport.StaticFiles;

namespace AkkaHibernation.Transport.Routing;

/// <summary>
/// The seed Worker's routing, as a pure function of method, URL and headers: the seed's own checks first and
/// in its order, then the room name, then the RFC 6455 handshake headers the seed leaves to its runtime. Routes the
/// seed does not have come first: static sites, and <c>/{type}/{room}/websocket</c> for registered room types
/// (matched on the path, so a client may pass a query string; the same checks then apply in the same order).
/// </summary>
public static class RequestRouter
{
    /// <summary>Exactly the seed's body for every request that is not for the WebSocket route.</summary>
    public const string SupportedEndpoints = "Supported endpoints:\n/websocket: Expects a WebSocket upgrade request";

    /// <summary>The seed's 426 body.</summary>
    public const string ExpectedUpgrade = "Worker expected Upgrade: websocket";

    /// <summary>The seed's 400 body for a method other than GET.</summary>
    public const string ExpectedGet = "Worker expected GET method";

    private const string WebSocketSuffix = "/websocket";
    private const string RoomsPrefix = "/rooms/";
    private const string ErrorContentType = "text/plain;charset=UTF-8";

    /// <summary>Decides what to do with a request.</summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="rawUrl">The request target as sent (path and query).</param>
    /// <param name="header">Looks up a request header by name; null when absent.</param>
    /// <param name="routes">Room types and static sites besides the seed's routes (none when null).</param>
    public static RouteDecision Route(string method, string rawUrl, Func<string, string?> header, RouteTable? routes = null)
    {
        routes ??= RouteTable.SeedOnly;
        var path = PathOf(rawUrl);
        foreach (var site in routes.Sites)
        {
            if (StaticRoute(method, path, site) is { } served)
                return served;
        }
        if (TypedRoom(path, routes) is var (type, name))
            return Upgrade(method, header, type, name);

        // The seed tests the full URL, so a query string after /websocket means "not the WebSocket route".
        if (!rawUrl.EndsWith(WebSocketSuffix, StringComparison.Ordinal))
            return new RouteDecision.Respond(200, SupportedEndpoints, "text/plain");
        return Upgrade(method, header, null, SeedRoomName(rawUrl));
    }

    private static RouteDecision Upgrade(string method, Func<string, string?> header, string? type, string roomName)
    {
        if (header("Upgrade") != "websocket")
            return Error(426, ExpectedUpgrade);
        if (method != "GET")
            return Error(400, ExpectedGet);

        var invalidName = RoomName.Validate(roomName);
        if (invalidName is not null)
            return Error(400, invalidName);

        return (RouteDecision?)HandshakeError(header) ?? new RouteDecision.Upgrade(RoomName.Key(type, roomName));
    }

    private static string PathOf(string rawUrl)
    {
        // Only an absolute-form target (RFC 9112 §3.2.2) is parsed as a URI: on Unix, .NET reads "/path" as a file URI.
        if (!rawUrl.StartsWith('/') && Uri.TryCreate(rawUrl, UriKind.Absolute, out var absolute))
            return absolute.AbsolutePath;
        var query = rawUrl.IndexOf('?');
        return query < 0 ? rawUrl : rawUrl[..query];
    }

    private static string SeedRoomName(string rawUrl)
    {
        // The seed's route: the URL ends with /websocket, so the path is the URL (or its absolute form's path).
        var path = Uri.TryCreate(rawUrl, UriKind.Absolute, out var absolute) ? absolute.AbsolutePath : rawUrl;
        var named = path.StartsWith(RoomsPrefix, StringComparison.Ordinal)
                    && path.Length >= RoomsPrefix.Length + WebSocketSuffix.Length;
        return named ? path[RoomsPrefix.Length..^WebSocketSuffix.Length] : RoomName.Default;
    }

    /// <summary>The type and room of <c>/{type}/{room}/websocket</c> when the type is registered.</summary>
    private static (string Type, string Name)? TypedRoom(string path, RouteTable routes)
    {
        var segments = path.Split('/');
        if (segments.Length != 4 || segments[0].Length != 0 || segments[3] != WebSocketSuffix[1..]
            || !routes.RoomTypes.Contains(segments[1]))
            return null;
        return (segments[1], segments[2]);
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
        if (method != "GET")
        {
            return new RouteDecision.Respond(405, $"{path} only answers GET", ErrorContentType,
                new Dictionary<string, string> { ["Allow"] = "GET" });
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

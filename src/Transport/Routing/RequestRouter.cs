using AkkaHibernation.Actors.Rooms;

namespace AkkaHibernation.Transport.Routing;

/// <summary>
/// The seed Worker's routing, as a pure function of method, URL and headers: the seed's own checks first and
/// in its order, then the room name, then the RFC 6455 handshake headers the seed leaves to its runtime.
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
    public static RouteDecision Route(string method, string rawUrl, Func<string, string?> header)
    {
        // The seed tests the full URL, so a query string after /websocket means "not the WebSocket route".
        if (!rawUrl.EndsWith(WebSocketSuffix, StringComparison.Ordinal))
            return new RouteDecision.Respond(200, SupportedEndpoints, "text/plain");

        if (header("Upgrade") != "websocket")
            return Error(426, ExpectedUpgrade);
        if (method != "GET")
            return Error(400, ExpectedGet);

        var roomName = RoomNameOf(rawUrl);
        var invalidName = RoomName.Validate(roomName);
        if (invalidName is not null)
            return Error(400, invalidName);

        return (RouteDecision?)HandshakeError(header) ?? new RouteDecision.Upgrade(roomName);
    }

    private static string RoomNameOf(string rawUrl)
    {
        var path = rawUrl;
        if (Uri.TryCreate(rawUrl, UriKind.Absolute, out var absolute))
            path = absolute.AbsolutePath;
        var named = path.StartsWith(RoomsPrefix, StringComparison.Ordinal)
                    && path.Length >= RoomsPrefix.Length + WebSocketSuffix.Length;
        return named ? path[RoomsPrefix.Length..^WebSocketSuffix.Length] : RoomName.Default;
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

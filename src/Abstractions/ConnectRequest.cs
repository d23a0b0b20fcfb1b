using System.Text.Json.Serialization;
using AkkaHibernation.Ids;

namespace AkkaHibernation;

/// <summary>An upgrade request the transport has validated and now asks a room to accept.</summary>
/// <param name="Room">The room the request was routed to: its type and name.</param>
/// <param name="ConnectionId">The id the transport gave the socket.</param>
/// <param name="Url">The request URL as the client sent it (path and query).</param>
/// <param name="Headers">Request headers, names as sent.</param>
public sealed record ConnectRequest(
    [property: JsonPropertyName("roomKey")] RoomKey Room,
    ConnectionId ConnectionId,
    string Url,
    IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>
    /// In cluster mode, the serialized path of the edge actor on the node that holds the socket (the room records it
    /// so it can reach the socket from any node); null on a single node. Room behaviours need not look at it.
    /// </summary>
    public EdgeAddress? Edge { get; init; }

    /// <summary>
    /// The client's IP address: the TCP peer's, or, when the peer is a trusted proxy
    /// (<c>akka-hibernation.transport.trusted-proxies</c>), the client it forwarded for. Null only where no socket made the request.
    /// </summary>
    public string? ClientAddress { get; init; }

    /// <summary>
    /// The subprotocols the client offered (<c>Sec-WebSocket-Protocol</c>, RFC 6455 §4.1), in its order of preference;
    /// empty when it offered none. A room may select one with <see cref="ConnectResult.Accept(IHibernatableWebSocket, string?)"/>.
    /// </summary>
    [JsonIgnore]
    public IReadOnlyList<string> Subprotocols =>
        Headers.FirstOrDefault(header => header.Key.Equals(SubprotocolHeader, StringComparison.OrdinalIgnoreCase)).Value is { } offered
            ? offered.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            : [];

    /// <summary>The request header that lists the client's subprotocols, and the response header that names the selected one.</summary>
    public const string SubprotocolHeader = "Sec-WebSocket-Protocol";
}

namespace AkkaHibernation.Actors.Behaviours;

/// <summary>An upgrade request the transport has validated and now asks a room to accept.</summary>
/// <param name="RoomKey">The room the request was routed to: its name, or <c>type:name</c> for a room of a registered type.</param>
/// <param name="ConnectionId">The id the transport gave the socket.</param>
/// <param name="Url">The request URL as the client sent it (path and query).</param>
/// <param name="Headers">Request headers, names as sent.</param>
public sealed record ConnectRequest(
    string RoomKey,
    string ConnectionId,
    string Url,
    IReadOnlyDictionary<string, string> Headers);

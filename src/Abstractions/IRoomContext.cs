
namespace AkkaHibernation;

/// <summary>What the runtime offers a room behaviour: the equivalent of a Durable Object's <c>ctx</c>.</summary>
public interface IRoomContext
{
    /// <summary>The room's name (the <c>{room}</c> of its route).</summary>
    string RoomName { get; }

    /// <summary>The room's registered type, or null for the default type that serves the routes of the seed (the reference Worker and Durable Object this server ports).</summary>
    string? RoomType { get; }

    /// <summary>Accepts the socket of <paramref name="request"/> as hibernatable and returns its handle.</summary>
    IHibernatableWebSocket AcceptWebSocket(ConnectRequest request, IEnumerable<string>? tags = null);

    /// <summary>The room's open sockets in the order they were accepted, optionally only those with <paramref name="tag"/>.</summary>
    IReadOnlyList<IHibernatableWebSocket> GetWebSockets(string? tag = null);

    /// <summary>Sets the text the transport answers on its own without waking the room; null turns it off.</summary>
    void SetWebSocketAutoResponse(AutoResponsePair? pair);

    /// <summary>The current auto-response pair, if any.</summary>
    AutoResponsePair? GetWebSocketAutoResponse();

    /// <summary>When the transport last answered the auto-response on <paramref name="socket"/>; kept while the room sleeps.</summary>
    DateTimeOffset? GetWebSocketAutoResponseTimestamp(IHibernatableWebSocket socket);

    /// <summary>The tags <paramref name="socket"/> was accepted with.</summary>
    IReadOnlyList<string> GetTags(IHibernatableWebSocket socket);

    /// <summary>The room's durable key-value storage.</summary>
    IRoomStorage Storage { get; }

    /// <summary>Sets the room's one alarm (replacing any other): <see cref="IRoomBehaviour.OnAlarm"/> runs at that time, waking the room if it sleeps.</summary>
    void SetAlarm(DateTimeOffset at);

    /// <summary>When the alarm is due, or null.</summary>
    DateTimeOffset? GetAlarm();

    /// <summary>Deletes the alarm, if any.</summary>
    void DeleteAlarm();
}

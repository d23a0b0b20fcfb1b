namespace AkkaHibernation;

/// <summary>
/// The code of a room, the equivalent of a Durable Object class. An instance lives for one room incarnation:
/// it is made (given its <see cref="IRoomContext"/>) each time the room wakes, and must rebuild anything it keeps
/// in fields from the context. Handlers of one room never run concurrently.
/// </summary>
public interface IRoomBehaviour
{
    /// <summary>An upgrade request for this room: accept it with <see cref="IRoomContext.AcceptWebSocket"/> or reject it.</summary>
    ConnectResult OnConnect(ConnectRequest request);

    /// <summary>A data message from an accepted socket.</summary>
    void OnMessage(IHibernatableWebSocket socket, RoomMessage message);

    /// <summary>The socket closed: <paramref name="code"/> 1005 when the peer gave no code, 1006 when it vanished.</summary>
    void OnClose(IHibernatableWebSocket socket, int code, string reason, bool wasClean);

    /// <summary>A handler for this socket threw; the socket is then closed with 1011.</summary>
    void OnError(IHibernatableWebSocket socket, Exception error) { }

    /// <summary>
    /// The room's alarm is due. Delivered at least once: if this throws, it runs again after a backoff
    /// (<see cref="AlarmInvocation.RetryCount"/> says how often it failed before).
    /// </summary>
    void OnAlarm(AlarmInvocation alarm) { }
}

/// <summary>Makes the behaviour of a room incarnation; called once each time the room starts or wakes.</summary>
public delegate IRoomBehaviour RoomBehaviourFactory(IRoomContext context);

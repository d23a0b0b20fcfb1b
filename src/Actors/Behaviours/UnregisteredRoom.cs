namespace AkkaHibernation.Actors.Behaviours;

/// <summary>
/// Stands in for a room whose type is not registered on this node (an alarm or a journal outlived the code):
/// the room recovers and keeps its state, but refuses connections; its alarm fails (so it is retried, logged, and
/// dropped only after the configured retries).
/// </summary>
internal sealed class UnregisteredRoom(string type) : IRoomBehaviour
{
    public ConnectResult OnConnect(ConnectRequest request) =>
        ConnectResult.Reject(404, $"Room type '{type}' is not registered on this server");

    public void OnMessage(IHibernatableWebSocket socket, RoomMessage message) { }

    public void OnClose(IHibernatableWebSocket socket, int code, string reason, bool wasClean) { }

    public void OnAlarm(AlarmInvocation alarm) =>
        throw new InvalidOperationException($"Room type '{type}' is not registered on this server; its alarm cannot run");
}

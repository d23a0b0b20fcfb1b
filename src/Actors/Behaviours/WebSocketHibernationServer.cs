using AkkaHibernation.Actors.Rooms;

namespace AkkaHibernation.Actors.Behaviours;

/// <summary>
/// The seed's Durable Object, ported (the seed: the user's reference Cloudflare Worker and Durable Object,
/// <c>shared/spec/seed-durable-object.md</c>): every message is echoed to its sender, broadcast to everyone, and
/// broadcast to everyone but the sender, each line naming the sender's session id and the connection count.
/// </summary>
public sealed class WebSocketHibernationServer : IRoomBehaviour
{
    /// <summary>What the seed attaches to each socket.</summary>
    public sealed record SessionAttachment(string Id);

    private const string Prefix = "[Durable Object] message: ";
    private const string ClosingReason = "Durable Object is closing WebSocket";

    private readonly IRoomContext _context;

    // The seed's `sessions` map. Like the seed, it is rebuilt from the sockets' attachments on every wake.
    private readonly Dictionary<IHibernatableWebSocket, SessionAttachment> _sessions;

    /// <summary>The seed's constructor: restore sessions from attachments and set the ping/pong auto-response.</summary>
    public WebSocketHibernationServer(IRoomContext context)
    {
        _context = context;
        var sockets = context.GetWebSockets();
        _sessions = new Dictionary<IHibernatableWebSocket, SessionAttachment>(sockets.Count);
        foreach (var socket in sockets)
        {
            var attachment = socket.DeserializeAttachment<SessionAttachment>();
            if (attachment is not null)
                _sessions[socket] = attachment;
        }

        context.SetWebSocketAutoResponse(new AutoResponsePair("ping", "pong"));
    }

    /// <inheritdoc />
    public ConnectResult OnConnect(ConnectRequest request)
    {
        var socket = _context.AcceptWebSocket(request);
        var attachment = new SessionAttachment(Guid.NewGuid().ToString());
        socket.SerializeAttachment(attachment);
        _sessions[socket] = attachment;
        return ConnectResult.Accept(socket);
    }

    /// <inheritdoc />
    public void OnMessage(IHibernatableWebSocket socket, RoomMessage message)
    {
        var session = _sessions[socket];
        // A JavaScript template literal renders an ArrayBuffer as "[object ArrayBuffer]".
        var text = message.Text ?? "[object ArrayBuffer]";
        var tail = $"{text}, from: {session.Id}, to: ";
        var total = $". Total connections: {_sessions.Count}";

        socket.Send($"{Prefix}{tail}the initiating client{total}");

        var toAll = $"{Prefix}{tail}all clients{total}";
        foreach (var connected in _sessions.Keys)
            connected.Send(toAll);

        var toOthers = $"{Prefix}{tail}all clients except the initiating client{total}";
        foreach (var connected in _sessions.Keys)
        {
            if (!ReferenceEquals(connected, socket))
                connected.Send(toOthers);
        }
    }

    /// <inheritdoc />
    public void OnClose(IHibernatableWebSocket socket, int code, string reason, bool wasClean)
    {
        _sessions.Remove(socket);
        socket.Close(code, ClosingReason);
    }
}

using System.Text.Json;
using System.Text.RegularExpressions;
using System.Web;
using Microsoft.Extensions.Options;
using static AkkaHibernation.Samples.Chat.ChatFrames;

namespace AkkaHibernation.Samples.Chat;

/// <summary>
/// A chat room with presence, history and a periodic announcement, written only against the public room API.
/// It keeps nothing in fields that is not rebuilt from its context: who is on which socket is the socket's
/// attachment and tag, the history is in storage, and the announcement is the room's alarm. So it answers the same
/// whether it stayed in memory or was rebuilt from the journal a moment ago.
/// </summary>
public sealed partial class ChatRoom(IRoomContext context, IOptions<ChatOptions> configured, TimeProvider clock) : IRoomBehaviour
{
    /// <summary>The type name the sample is registered under: its sockets connect to <c>/parties/chat/{room}?name=…</c>.</summary>
    public const string TypeName = "chat";

    /// <summary>
    /// The subprotocol the room speaks (its JSON frames, version 1). A client that offers it gets it selected in the 101;
    /// one that offers none is served as well. Browsers fail a handshake whose offered subprotocols all go unanswered.
    /// </summary>
    public const string Subprotocol = "chat.v1";

    /// <summary>The author of the room's own announcements.</summary>
    public const string SystemName = "room";

    /// <summary>Longest user name, in characters.</summary>
    public const int MaxNameLength = 32;

    private const string UserTagPrefix = "user:";
    private const string HistoryPrefix = "line:";
    private const string NextIdKey = "next-id";

    private readonly ChatOptions _options = configured.Value;

    /// <inheritdoc />
    public ConnectResult OnConnect(ConnectRequest request)
    {
        var name = NameOf(request.Url);
        if (name is null)
        {
            return ConnectResult.Reject(400,
                $"Chat needs ?name= with 1 to {MaxNameLength} letters, digits, spaces, '-' or '_'");
        }

        var firstSocketOfName = context.GetWebSockets(UserTag(name)).Count == 0;
        var socket = context.AcceptWebSocket(request, [UserTag(name)]);
        socket.SerializeAttachment(new ChatMember(name, clock.GetUtcNow()));
        var members = Members();
        socket.Send(Encode(new Welcome(name, members, History())));
        if (firstSocketOfName)
            Broadcast(new Joined(name, members), except: socket);
        if (context.GetAlarm() is null)
            context.SetAlarm(NextAnnouncement());
        return ConnectResult.Accept(socket, request.Subprotocols.Contains(Subprotocol) ? Subprotocol : null);
    }

    /// <inheritdoc />
    public void OnMessage(IHibernatableWebSocket socket, RoomMessage message)
    {
        if (!message.IsText)
        {
            socket.Close(1003, "Chat accepts text frames only");
            return;
        }
        if (Decode(message.Text!) is not Say say)
        {
            socket.Send(Encode(new Error("Send {\"type\":\"say\",\"text\":\"...\"}")));
            return;
        }
        var text = say.Text.Trim();
        if (text.Length == 0 || text.Length > _options.MaxMessageLength)
        {
            socket.Send(Encode(new Error($"A message holds 1 to {_options.MaxMessageLength} characters, got {text.Length}")));
            return;
        }
        Post(MemberOf(socket).Name, text);
    }

    /// <inheritdoc />
    public void OnClose(IHibernatableWebSocket socket, int code, string reason, bool wasClean)
    {
        // The closed socket is no longer among the room's sockets, so presence is already without it.
        var name = MemberOf(socket).Name;
        if (context.GetWebSockets(UserTag(name)).Count == 0)
            Broadcast(new Left(name, Members()));
    }

    /// <inheritdoc />
    public void OnAlarm(AlarmInvocation alarm)
    {
        // An empty room stops announcing (so it stops waking); the next person to join sets the alarm again.
        if (context.GetWebSockets().Count == 0)
            return;
        var lines = context.Storage.Get<long>(NextIdKey);
        Post(SystemName, $"Daily announcement from #{context.RoomName}. Messages so far: {lines}. Be kind.");
        context.SetAlarm(NextAnnouncement());
    }

    private void Post(string name, string text)
    {
        var id = context.Storage.Get<long>(NextIdKey) + 1;
        var line = new ChatLine(id, name, text, clock.GetUtcNow());
        context.Storage.Put(NextIdKey, id);
        context.Storage.Put(HistoryKey(id), line);
        context.Storage.Delete(HistoryKey(id - _options.HistoryLimit));
        Broadcast(new Message(line));
    }

    private void Broadcast(Frame frame, IHibernatableWebSocket? except = null)
    {
        var json = Encode(frame);
        foreach (var socket in context.GetWebSockets())
        {
            if (!ReferenceEquals(socket, except))
                socket.Send(json);
        }
    }

    /// <summary>Everyone with an open socket, once each, in the order they joined.</summary>
    private IReadOnlyList<string> Members() =>
        context.GetWebSockets().Select(socket => MemberOf(socket).Name).Distinct().ToList();

    private IReadOnlyList<ChatLine> History() =>
        context.Storage.List(new StorageListOptions(Prefix: HistoryPrefix, Limit: _options.HistoryLimit, Reverse: true))
            .Select(entry => entry.Value.Deserialize<ChatLine>(Json)!)
            .Reverse()
            .ToList();

    private static ChatMember MemberOf(IHibernatableWebSocket socket) =>
        socket.DeserializeAttachment<ChatMember>()
        ?? throw new InvalidOperationException($"Socket {socket.ConnectionId} has no chat member attached");

    private DateTimeOffset NextAnnouncement()
    {
        var interval = _options.AnnouncementInterval.Ticks;
        var now = clock.GetUtcNow().UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return DateTimeOffset.UnixEpoch.AddTicks((now / interval + 1) * interval);
    }

    private static string? NameOf(string url)
    {
        var query = url.IndexOf('?');
        var name = query < 0 ? null : HttpUtility.ParseQueryString(url[(query + 1)..])["name"]?.Trim();
        return name is not null && ValidName().IsMatch(name) ? name : null;
    }

    private static string UserTag(string name) => UserTagPrefix + name;

    // Zero-padded, so storage's ordinal key order is the order of the history.
    private static string HistoryKey(long id) => $"{HistoryPrefix}{id:D12}";

    [GeneratedRegex(@"^[\p{L}\p{Nd} _-]{1,32}$")]
    private static partial Regex ValidName();
}

namespace AkkaHibernation.Actors.Behaviours;

/// <summary>What a room answers to an upgrade request: accept the socket, or refuse it with an HTTP status.</summary>
public abstract record ConnectResult
{
    private ConnectResult() { }

    /// <summary>The room accepted the socket returned by <see cref="IRoomContext.AcceptWebSocket"/>.</summary>
    public sealed record Accepted(IHibernatableWebSocket Socket) : ConnectResult;

    /// <summary>The room refused the upgrade; the client gets this status and body.</summary>
    public sealed record Rejected(int Status, string Body) : ConnectResult;

    /// <summary>Accept the socket.</summary>
    public static ConnectResult Accept(IHibernatableWebSocket socket) => new Accepted(socket);

    /// <summary>Refuse the upgrade.</summary>
    public static ConnectResult Reject(int status, string body) => new Rejected(status, body);
}

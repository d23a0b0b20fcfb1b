namespace AkkaHibernation;

/// <summary>What a room answers to an upgrade request: accept the socket, or refuse it with an HTTP status.</summary>
public abstract record ConnectResult
{
    private ConnectResult() { }

    /// <summary>
    /// The room accepted the socket returned by <see cref="IRoomContext.AcceptWebSocket"/>, with the subprotocol it
    /// selected from <see cref="ConnectRequest.Subprotocols"/> (null: none, and the 101 names none).
    /// </summary>
    public sealed record Accepted(IHibernatableWebSocket Socket, string? Subprotocol = null) : ConnectResult;

    /// <summary>The room refused the upgrade; the client gets this status and body.</summary>
    public sealed record Rejected(int Status, string Body) : ConnectResult;

    /// <summary>Accept the socket, selecting no subprotocol.</summary>
    public static ConnectResult Accept(IHibernatableWebSocket socket) => new Accepted(socket);

    /// <summary>
    /// Accept the socket with <paramref name="subprotocol"/>, which must be one of the values the client offered
    /// (<see cref="ConnectRequest.Subprotocols"/>); any other value refuses the upgrade with 500, as a programming error.
    /// </summary>
    public static ConnectResult Accept(IHibernatableWebSocket socket, string? subprotocol) => new Accepted(socket, subprotocol);

    /// <summary>Refuse the upgrade.</summary>
    public static ConnectResult Reject(int status, string body) => new Rejected(status, body);
}

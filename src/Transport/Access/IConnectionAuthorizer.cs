using System.Net;
using AkkaHibernation.Actors.Behaviours;

namespace AkkaHibernation.Transport.Access;

/// <summary>
/// Decides, before the room is asked and before the upgrade, whether a client may open a WebSocket: e.g. validate a
/// bearer token or a signed header. Plug an implementation into the node; the shipped one is
/// <see cref="BearerTokenAuthorizer"/>.
/// </summary>
public interface IConnectionAuthorizer
{
    /// <summary>Null lets the request through; otherwise the client gets the denial's status and body.</summary>
    ValueTask<AccessDenied?> AuthorizeAsync(ConnectRequest request, IPEndPoint? remote, CancellationToken cancellationToken);
}

/// <summary>A refused upgrade: an HTTP status (401, 403, …) and a body that says why.</summary>
public sealed record AccessDenied(int Status, string Body);

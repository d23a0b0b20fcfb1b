using System.Net;
using System.Security.Cryptography;
using System.Text;
using AkkaHibernation.Actors.Behaviours;

namespace AkkaHibernation.Transport.Access;

/// <summary>
/// Lets in upgrades that carry <c>Authorization: Bearer TOKEN</c> with one of the configured tokens
/// (<c>akka-hibernation.transport.auth.bearer-tokens</c>); 401 without a token, 403 with a wrong one.
/// </summary>
public sealed class BearerTokenAuthorizer(IEnumerable<string> tokens) : IConnectionAuthorizer
{
    private const string Scheme = "Bearer ";
    private readonly byte[][] _tokens = tokens.Select(Encoding.UTF8.GetBytes).ToArray();

    /// <inheritdoc />
    public ValueTask<AccessDenied?> AuthorizeAsync(ConnectRequest request, IPEndPoint? remote, CancellationToken cancellationToken)
    {
        if (!request.Headers.TryGetValue("Authorization", out var header) || !header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
            return ValueTask.FromResult<AccessDenied?>(new AccessDenied(401, "This server needs an Authorization: Bearer token"));
        var presented = Encoding.UTF8.GetBytes(header[Scheme.Length..].Trim());
        // Fixed-time comparison, so response timing does not reveal how much of a token matched.
        var known = _tokens.Any(token => CryptographicOperations.FixedTimeEquals(token, presented));
        return ValueTask.FromResult(known ? null : new AccessDenied(403, "The bearer token is not valid"));
    }
}

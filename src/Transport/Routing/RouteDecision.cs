using AkkaHibernation.Ids;
using AkkaHibernation.Transport.StaticFiles;

namespace AkkaHibernation.Transport.Routing;

/// <summary>What the transport does with one HTTP request.</summary>
public abstract record RouteDecision
{
    private RouteDecision() { }

    /// <summary>Answer with a plain HTTP response.</summary>
    /// <param name="Status">HTTP status code.</param>
    /// <param name="Body">Response body (UTF-8 text).</param>
    /// <param name="ContentType">The Content-Type header.</param>
    /// <param name="Headers">Extra response headers.</param>
    public sealed record Respond(int Status, string Body, string ContentType, IReadOnlyDictionary<string, string>? Headers = null)
        : RouteDecision;

    /// <summary>Ask room <paramref name="Room"/> to accept a WebSocket upgrade.</summary>
    public sealed record Upgrade(RoomKey Room) : RouteDecision;

    /// <summary>Answer 200 with a static file.</summary>
    public sealed record ServeFile(StaticFile File) : RouteDecision;
}

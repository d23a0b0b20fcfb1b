using System.Net;
using System.Text;
using AkkaHibernation.Transport.Routing;
using Microsoft.Extensions.Logging;

namespace AkkaHibernation.Transport.Http;

/// <summary>Writes the server's plain HTTP answers; to HEAD, the headers the GET answer would have and no body.</summary>
internal sealed class HttpResponses(TransportCounters counters, ILogger log)
{
    /// <summary>Answers with <paramref name="reply"/>; a 4xx or 5xx counts as a rejected request.</summary>
    public async Task RespondAsync(HttpListenerContext context, RouteDecision.Respond reply)
    {
        if (reply.Status >= 400)
            counters.RequestRejected();
        await WriteAsync(context, reply.Status, reply.ContentType, Encoding.UTF8.GetBytes(reply.Body), reply.Headers);
    }

    /// <summary>Answers with a plain-text status and body.</summary>
    public Task RespondAsync(HttpListenerContext context, int status, string body) =>
        RespondAsync(context, new RouteDecision.Respond(status, body, RequestRouter.ErrorContentType));

    /// <summary>Answers as <see cref="RespondAsync(HttpListenerContext, int, string)"/>, unless the client is gone already (logged).</summary>
    public async Task TryRespondAsync(HttpListenerContext context, int status, string body)
    {
        try
        {
            await RespondAsync(context, status, body);
        }
        catch (Exception error) when (error is HttpListenerException or InvalidOperationException or ObjectDisposedException)
        {
            log.LogDebug(error, "Could not send the error response");
        }
    }

    /// <summary>Writes a response; to HEAD, the headers the GET answer would have (its Content-Length too) and no body (RFC 9110 §9.3.2).</summary>
    public static async Task WriteAsync(
        HttpListenerContext context, int status, string contentType, ReadOnlyMemory<byte> body, IReadOnlyDictionary<string, string>? headers)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = contentType;
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
            response.Headers[name] = value;
        response.ContentLength64 = body.Length;
        if (context.Request.HttpMethod != "HEAD")
            await response.OutputStream.WriteAsync(body);
        response.Close();
    }
}

using System.Net;
using Microsoft.Extensions.Logging;

namespace AkkaHibernation.Transport.Http;

/// <summary>Closes a stopped <see cref="HttpListener"/> at the end of a server's stop, which must finish rather than throw.</summary>
public static class ListenerRelease
{
    /// <summary>
    /// Closes <paramref name="listener"/>. Linux's managed HttpListener looks its endpoint up again to remove it and can
    /// fail to re-bind it ("Address already in use", seen in the test suite, where one process runs many listeners and
    /// another has taken the port meanwhile); by then nothing is served on it, so the failure is logged, not thrown.
    /// </summary>
    public static void Close(HttpListener listener, IEnumerable<string> prefixes, ILogger log)
    {
        try
        {
            listener.Close();
        }
        catch (HttpListenerException error)
        {
            log.LogWarning(error, "HttpListener failed to release {Prefixes}", string.Join(", ", prefixes));
        }
    }
}

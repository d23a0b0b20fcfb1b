using System.Net;
using System.Net.Sockets;
using System.Reflection;

namespace AkkaHibernation.Transport.Sockets;

/// <summary>
/// Reaches the TCP socket behind a managed <see cref="HttpListenerContext"/>. The managed HttpListener leaves
/// Nagle's algorithm on and offers no API for it, so a server that writes two frames in a row waits for the
/// client's delayed ACK (tens of ms). It also may not close the TCP connection on Abort/Dispose
/// (dotnet/runtime#58614). Both need the socket, which only non-public fields expose; if a runtime update
/// moves them, <see cref="IsAvailable"/> turns false, the server logs an error at start and a test fails.
/// </summary>
internal static class TcpSocketAccess
{
    private const BindingFlags Private = BindingFlags.Instance | BindingFlags.NonPublic;

    private static readonly FieldInfo? ConnectionField = typeof(HttpListenerContext).GetField("_connection", Private);
    private static readonly FieldInfo? SocketField = ConnectionField?.FieldType.GetField("_socket", Private);

    /// <summary>True when this runtime's HttpListener still keeps its socket where we look.</summary>
    public static bool IsAvailable => SocketField?.FieldType == typeof(Socket);

    /// <summary>The TCP socket of <paramref name="context"/>, or null when it cannot be reached.</summary>
    public static Socket? Find(HttpListenerContext context) =>
        IsAvailable ? SocketField!.GetValue(ConnectionField!.GetValue(context)) as Socket : null;

    /// <summary>Ends the TCP connection now; errors mean it is already gone.</summary>
    public static void Drop(Socket? socket)
    {
        if (socket is null)
            return;
        try
        {
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception error) when (error is SocketException or ObjectDisposedException)
        {
            // Already closed by the peer or by us.
        }
        socket.Dispose();
    }
}

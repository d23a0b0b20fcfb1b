using System.Net;
using System.Net.Sockets;
using System.Reflection;

namespace AkkaHibernation.Transport.Sockets;

/// <summary>
/// Reaches the TCP socket behind a managed <see cref="HttpListenerContext"/>. After the upgrade the transport
/// speaks RFC 6455 on it directly; it also turns Nagle's algorithm off, which the managed HttpListener leaves on
/// with no API to change (two frames in a row would otherwise wait for the client's delayed ACK). Only
/// non-public fields expose the socket; if a runtime update moves them, <see cref="IsAvailable"/> turns false, the
/// server refuses to start (<see cref="Unsupported"/>) rather than fail every upgrade, and a test fails.
/// </summary>
internal static class TcpSocketAccess
{
    private const BindingFlags Private = BindingFlags.Instance | BindingFlags.NonPublic;

    private static readonly FieldInfo? ConnectionField = typeof(HttpListenerContext).GetField("_connection", Private);
    private static readonly FieldInfo? SocketField = ConnectionField?.FieldType.GetField("_socket", Private);
    private static readonly FieldInfo? ReadBufferField = ConnectionField?.FieldType.GetField("_buffer", Private);
    private static readonly MethodInfo? UnbindMethod = ConnectionField?.FieldType.GetMethod("Unbind", Private, Type.EmptyTypes);
    private static readonly MethodInfo? RemoveConnectionMethod = ConnectionField?.FieldType.GetMethod("RemoveConnection", Private, Type.EmptyTypes);

    /// <summary>True when this runtime's HttpListener still keeps its socket where we look.</summary>
    public static bool IsAvailable => SocketField?.FieldType == typeof(Socket);

    /// <summary>
    /// Why the transport cannot run here, or null when it can. On Windows HttpListener is http.sys, which hands the
    /// process no TCP socket to speak RFC 6455 on; elsewhere the managed HttpListener keeps one, unless a runtime
    /// update moved it (<paramref name="socketReachable"/>).
    /// </summary>
    public static string? Unsupported(bool windows, bool socketReachable) =>
        windows
            ? "AkkaHibernation does not run on Windows: its transport speaks RFC 6455 on the TCP socket of the managed " +
              "HttpListener, and on Windows HttpListener is http.sys, which has none. Run it on Linux or macOS (a Linux " +
              "container works on Windows)."
            : socketReachable
                ? null
                : "This runtime's HttpListener no longer exposes its TCP socket, so no upgrade could complete; please " +
                  $"report this with your .NET version ({Environment.Version})";

    /// <summary>The TCP socket of <paramref name="context"/>, or null when it cannot be reached.</summary>
    public static Socket? Find(HttpListenerContext context) =>
        IsAvailable ? SocketField!.GetValue(ConnectionField!.GetValue(context)) as Socket : null;

    /// <summary>
    /// Takes the socket away from HttpListener after the 101 has been written. HttpListener's connection object
    /// otherwise still believes it owns the socket: when its response is closed (which happens after an upgrade)
    /// it writes a second set of response headers and starts reading the client's frames as a new HTTP request,
    /// answering them with "400 Bad Request" in the middle of our frames. With its socket field cleared, every
    /// such path is a no-op and the transport is the socket's only reader and writer.
    /// The connection is also taken out of HttpListener's tables (its context and its connection), which HttpListener
    /// would only do when closing a socket it no longer has: measured, a server that had churned through 2,567
    /// WebSockets with 4 open still held 2,567 <see cref="HttpListenerRequest"/>s.
    /// </summary>
    public static void DetachFromListener(HttpListenerContext context)
    {
        if (!IsAvailable)
            return;
        var connection = ConnectionField!.GetValue(context);
        SocketField!.SetValue(connection, null);
        // Its 8 KiB request buffer would otherwise stay with every open WebSocket, unused.
        if (ReadBufferField?.FieldType == typeof(byte[]))
            ReadBufferField.SetValue(connection, null);
        UnbindMethod?.Invoke(connection, null);
        RemoveConnectionMethod?.Invoke(connection, null);
    }

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

using System.Net;
using System.Net.Sockets;
using System.Reflection;

namespace AkkaHibernation.Bench.Baseline;

/// <summary>
/// Sets TCP_NODELAY on an HttpListener connection. The managed (Linux) HttpListener leaves Nagle on with no API to
/// change it, so the sender's second line would wait for the client's delayed ACK and the baseline would measure
/// Nagle, not fan-out. The host turns it off too, so both sides of a ratio get the same TCP behaviour.
/// </summary>
public static class NagleSwitch
{
    private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.NonPublic;

    // Non-public: HttpListenerContext._connection (HttpConnection) holds the accepted Socket in _socket.
    private static readonly FieldInfo? Connection = typeof(HttpListenerContext).GetField("_connection", Instance);
    private static readonly FieldInfo? ConnectionSocket = Connection?.FieldType.GetField("_socket", Instance);

    /// <summary>False when a runtime update moved the fields; the baseline then refuses to start.</summary>
    public static bool IsAvailable => ConnectionSocket?.FieldType == typeof(Socket);

    public static void TurnOff(HttpListenerContext context)
    {
        if (ConnectionSocket!.GetValue(Connection!.GetValue(context)) is Socket socket)
            socket.NoDelay = true;
    }
}

using System.Net.Sockets;
using System.Text;

namespace AkkaHibernation.Server.Hosting;

/// <summary>
/// Tells systemd how the service stands (sd_notify(3)) when it runs the server as a <c>Type=notify</c> unit: systemd
/// names a datagram socket in <c>NOTIFY_SOCKET</c>, and a message is lines such as <c>READY=1</c>. A process taking the
/// server over is not the unit's main process; the old one names it (<c>MAINPID=</c>) before it exits, so systemd
/// keeps the unit running with the new one. Without <c>NOTIFY_SOCKET</c> nothing is sent.
/// </summary>
internal static class SystemdNotify
{
    /// <summary>The variable systemd sets for a <c>Type=notify</c> unit.</summary>
    public const string SocketVariable = "NOTIFY_SOCKET";

    /// <summary>The node is up and serving.</summary>
    public static void Ready() => Send("READY=1");

    /// <summary>The unit's main process is now <paramref name="processId"/> (this one is about to exit).</summary>
    public static void MainProcessIs(int processId) => Send($"MAINPID={processId}");

    private static void Send(string state)
    {
        if (Environment.GetEnvironmentVariable(SocketVariable) is not { Length: > 0 } path)
            return;
        // An abstract socket's name starts with '@' in the variable and with a zero byte on the wire.
        var endPoint = new UnixDomainSocketEndPoint(path[0] == '@' ? "\0" + path[1..] : path);
        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        try
        {
            socket.SendTo(Encoding.UTF8.GetBytes(state), endPoint);
        }
        catch (SocketException)
        {
            // systemd is gone or the socket is not for us: serving does not depend on it.
        }
    }
}

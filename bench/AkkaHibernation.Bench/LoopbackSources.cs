using System.Net;
using System.Net.Sockets;

namespace AkkaHibernation.Bench;

/// <summary>
/// Spreads client connections over several loopback source addresses. One source address reaches one server port
/// through at most about 28,000 ephemeral ports; Linux routes all of 127.0.0.0/8 to loopback, so binding each
/// client socket to 127.0.0.1 … 127.0.0.N before connecting lifts that to N × 28,000.
/// </summary>
public static class LoopbackSources
{
    /// <summary>Source addresses used, in turn.</summary>
    public const int Count = 16;

    /// <summary>Connections one source address can hold to one server port (its ephemeral port range).</summary>
    public const int ConnectionsPerSource = 28_000;

    private static int _next;

    /// <summary>A SocketsHttpHandler connect callback that binds each new socket to the next source address.</summary>
    public static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var source = new IPAddress([127, 0, 0, (byte)(1 + (uint)Interlocked.Increment(ref _next) % Count)]);
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Bind(new IPEndPoint(source, 0));
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

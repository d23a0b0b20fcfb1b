using System.Collections.Concurrent;
using System.Net;

namespace AkkaHibernation.Bench.Baseline;

/// <summary>
/// The yardstick: the seed room's fan-out written the plain way, with HttpListener and System.Net.WebSockets, no
/// actors, no journal and no hibernation. Same routes as the host (<c>/websocket</c> is room <c>foo</c>,
/// <c>/rooms/{name}</c>), same three lines per message, <c>ping</c> answered <c>pong</c>.
/// Run by the bench as a separate process, like the host, so both pay for their own process and GC.
/// </summary>
public static class BaselineServer
{
    /// <summary>The bench's command-line mode that runs this server.</summary>
    public const string Mode = "serve-baseline";

    private const string DefaultRoom = "foo";
    private const string RoomsPrefix = "/rooms/";
    private const string WebSocketSuffix = "/websocket";

    public static async Task<int> RunAsync(int port)
    {
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        if (!NagleSwitch.IsAvailable)
        {
            await Console.Error.WriteLineAsync("Cannot reach HttpListener's sockets to set TCP_NODELAY; the baseline would be Nagle-bound");
            return 1;
        }
        var rooms = new ConcurrentDictionary<string, BaselineRoom>(StringComparer.Ordinal);
        using var stopping = new CancellationTokenSource();
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(
            System.Runtime.InteropServices.PosixSignal.SIGTERM, signal =>
            {
                signal.Cancel = true;
                stopping.Cancel();
            });
        Console.WriteLine($"Listening on http://127.0.0.1:{port}/");

        var accepting = AcceptLoopAsync(listener, rooms);
        try
        {
            await Task.Delay(Timeout.Infinite, stopping.Token);
        }
        catch (OperationCanceledException)
        {
            // SIGTERM: stop like the host does, without waiting for clients.
        }
        listener.Stop();
        await accepting;
        return 0;
    }

    private static async Task AcceptLoopAsync(HttpListener listener, ConcurrentDictionary<string, BaselineRoom> rooms)
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception error) when (error is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return; // stopped
            }
            _ = Task.Run(() => HandleAsync(context, rooms));
        }
    }

    private static async Task HandleAsync(HttpListenerContext context, ConcurrentDictionary<string, BaselineRoom> rooms)
    {
        var room = RoomOf(context.Request.Url?.AbsolutePath ?? "/");
        if (room is null || !context.Request.IsWebSocketRequest)
        {
            context.Response.StatusCode = room is null ? 404 : 426;
            context.Response.Close();
            return;
        }
        try
        {
            var accepted = await context.AcceptWebSocketAsync(subProtocol: null);
            NagleSwitch.TurnOff(context);
            var connection = new BaselineConnection(accepted.WebSocket, Guid.NewGuid().ToString());
            await connection.RunAsync(rooms.GetOrAdd(room, _ => new BaselineRoom()));
        }
        catch (Exception error) when (error is System.Net.WebSockets.WebSocketException or HttpListenerException or ObjectDisposedException)
        {
            // The client went away; the connection has left its room.
        }
    }

    private static string? RoomOf(string path)
    {
        if (path.EndsWith(WebSocketSuffix, StringComparison.Ordinal))
            return DefaultRoom;
        if (!path.StartsWith(RoomsPrefix, StringComparison.Ordinal))
            return null;
        var name = path[RoomsPrefix.Length..];
        return name.Length > 0 && !name.Contains('/') ? name : null;
    }
}

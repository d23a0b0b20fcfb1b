using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;

namespace AkkaHibernation.Bench.Baseline;

/// <summary>
/// One baseline socket: a receive loop that hands text to the room, and a writer loop draining a bounded queue
/// (a WebSocket allows one send at a time; a full queue drops the client, as the host's outbound queue does).
/// </summary>
public sealed class BaselineConnection(WebSocket socket, string sessionId)
{
    private const int ReceiveBufferBytes = 4096;
    private const int OutboundQueueFrames = 4096;
    private static readonly ReadOnlyMemory<byte> Pong = "pong"u8.ToArray();

    private readonly Channel<ReadOnlyMemory<byte>> _outbound = Channel.CreateBounded<ReadOnlyMemory<byte>>(
        new BoundedChannelOptions(OutboundQueueFrames) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    public string SessionId { get; } = sessionId;

    /// <summary>Queues a text frame; a client too slow to take 4096 frames is aborted.</summary>
    public void Queue(ReadOnlyMemory<byte> utf8)
    {
        if (!_outbound.Writer.TryWrite(utf8))
            socket.Abort();
    }

    /// <summary>Joins the room, reads until the client closes or vanishes, then leaves and lets the writer finish.</summary>
    public async Task RunAsync(BaselineRoom room)
    {
        var writing = WriteLoopAsync();
        room.Join(this);
        try
        {
            await ReceiveLoopAsync(room);
        }
        finally
        {
            room.Leave(this);
            _outbound.Writer.TryComplete();
            await writing;
            socket.Dispose();
        }
    }

    private async Task ReceiveLoopAsync(BaselineRoom room)
    {
        var buffer = new byte[ReceiveBufferBytes];
        var assembled = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                return;
            }
            assembled.Write(buffer, 0, result.Count);
            if (!result.EndOfMessage)
                continue;
            var text = result.MessageType == WebSocketMessageType.Text
                ? Encoding.UTF8.GetString(assembled.GetBuffer(), 0, (int)assembled.Length)
                : "[object ArrayBuffer]";
            assembled.SetLength(0);
            if (text == "ping")
                Queue(Pong);
            else
                room.OnMessage(this, text);
        }
    }

    private async Task WriteLoopAsync()
    {
        try
        {
            await foreach (var frame in _outbound.Reader.ReadAllAsync())
                await socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        }
        catch (Exception error) when (error is WebSocketException or ObjectDisposedException or InvalidOperationException)
        {
            socket.Abort(); // the receive loop sees it and the connection leaves its room
        }
    }
}

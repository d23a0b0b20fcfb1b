using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;

namespace AkkaHibernation.Bench;

/// <summary>Called on a client's receive loop for every text frame, with the Stopwatch timestamp of its arrival.</summary>
public delegate void FrameHandler(BenchClient client, string text, long receivedAt);

/// <summary>
/// One benchmark WebSocket client. A background loop reads every frame as soon as it arrives and hands it to a
/// handler; it answers the server's close frame. Sends are serialized (a WebSocket allows one at a time).
/// </summary>
public sealed class BenchClient : IAsyncDisposable
{
    private const int BufferBytes = 1024;
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    private readonly ClientWebSocket _socket;
    private readonly FrameHandler _onFrame;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private Task _receiveLoop = Task.CompletedTask;
    private long _frames;

    private BenchClient(int index, ClientWebSocket socket, FrameHandler onFrame)
    {
        Index = index;
        _socket = socket;
        _onFrame = onFrame;
    }

    /// <summary>Position in its pool; scenarios index their per-client state with it.</summary>
    public int Index { get; }

    /// <summary>Text frames received so far.</summary>
    public long FramesReceived => Interlocked.Read(ref _frames);

    /// <summary>Why the receive loop ended early, if it did.</summary>
    public Exception? ReceiveError { get; private set; }

    /// <summary>Connects (bounded by <paramref name="timeout"/>), offering permessage-deflate with <paramref name="deflate"/>, and starts the receive loop.</summary>
    public static async Task<BenchClient> ConnectAsync(
        int index, Uri uri, HttpMessageInvoker invoker, FrameHandler onFrame, TimeSpan timeout, bool deflate = false)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        if (deflate)
            socket.Options.DangerousDeflateOptions = new WebSocketDeflateOptions();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await socket.ConnectAsync(uri, invoker, cancel.Token);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        var client = new BenchClient(index, socket, onFrame);
        client._receiveLoop = Task.Run(client.ReceiveLoopAsync);
        return client;
    }

    public async Task SendAsync(string text, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[BufferBytes];
        var assembled = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await AnswerCloseAsync();
                    return;
                }
                string text;
                if (result.EndOfMessage && assembled.Length == 0)
                {
                    text = Encoding.UTF8.GetString(buffer, 0, result.Count);
                }
                else
                {
                    assembled.Write(buffer, 0, result.Count);
                    if (!result.EndOfMessage)
                        continue;
                    text = Encoding.UTF8.GetString(assembled.GetBuffer(), 0, (int)assembled.Length);
                    assembled.SetLength(0);
                }
                var at = Stopwatch.GetTimestamp();
                Interlocked.Increment(ref _frames);
                _onFrame(this, text, at);
            }
        }
        catch (Exception error) when (error is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            ReceiveError = error;
        }
    }

    private async Task AnswerCloseAsync()
    {
        if (_socket.State != WebSocketState.CloseReceived)
            return;
        await SendCloseAsync();
    }

    /// <summary>Sends a 1000 close frame (bounded), serialized with the other sends.</summary>
    private async Task SendCloseAsync()
    {
        using var timeout = new CancellationTokenSource(CloseTimeout);
        await _sendLock.WaitAsync(timeout.Token);
        try
        {
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>
    /// Starts a clean close (1000) and waits, bounded, for the server's close frame to end the receive loop. Only
    /// the output side is closed here: the receive loop is the socket's one reader and answers nothing more.
    /// </summary>
    public async Task CloseAsync()
    {
        await SendCloseAsync();
        await _receiveLoop.WaitAsync(CloseTimeout);
    }

    /// <summary>Aborts the socket if it is still open and waits (bounded) for the receive loop to end.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_socket.State is not (WebSocketState.Closed or WebSocketState.Aborted))
            _socket.Abort();
        try
        {
            await _receiveLoop.WaitAsync(CloseTimeout);
        }
        catch (TimeoutException)
        {
            // the socket is aborted; the loop will notice
        }
        _socket.Dispose();
        _sendLock.Dispose();
    }
}

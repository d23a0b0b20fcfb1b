using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;

namespace AkkaHibernation.Tests.Support;

/// <summary>A real <see cref="ClientWebSocket"/> with a background reader, so tests can wait for frames with a timeout.</summary>
public sealed class TestClient : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private readonly ClientWebSocket _socket;
    private readonly Channel<string> _texts = Channel.CreateUnbounded<string>();
    private readonly TaskCompletionSource<(WebSocketCloseStatus? Status, string? Reason)> _closed =
        new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _reader;

    private TestClient(ClientWebSocket socket)
    {
        _socket = socket;
        _reader = Task.Run(ReadLoopAsync);
    }

    public WebSocketState State => _socket.State;

    /// <summary>The subprotocol the server selected, if any.</summary>
    public string? SubProtocol => _socket.SubProtocol;

    /// <summary>The 101's headers, when the client was made with <see cref="ClientWebSocketOptions.CollectHttpResponseDetails"/>.</summary>
    public IReadOnlyDictionary<string, IEnumerable<string>>? ResponseHeaders => _socket.HttpResponseHeaders;

    /// <summary>Connects; <paramref name="configure"/> may set options first (subprotocols, permessage-deflate).</summary>
    public static async Task<TestClient> ConnectAsync(Uri uri, Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = new ClientWebSocket();
        configure?.Invoke(socket.Options);
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await socket.ConnectAsync(uri, timeout.Token);
        return new TestClient(socket);
    }

    public Task SendAsync(string text) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    public Task SendBinaryAsync(byte[] data) =>
        _socket.SendAsync(data, WebSocketMessageType.Binary, true, CancellationToken.None);

    /// <summary>The next text frame; fails the test if none arrives in time.</summary>
    public async Task<string> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            return await _texts.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No text frame within {(timeout ?? DefaultTimeout).TotalSeconds} s (socket {_socket.State})");
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException($"The connection ended: {await DescribeEndAsync()}");
        }
    }

    /// <summary>Receives <paramref name="count"/> frames in order.</summary>
    public async Task<IReadOnlyList<string>> ReceiveAsync(int count, TimeSpan? timeout = null)
    {
        var frames = new List<string>();
        for (var i = 0; i < count; i++)
            frames.Add(await ReceiveAsync(timeout));
        return frames;
    }

    /// <summary>True when no text frame is waiting (the reader has handled everything that arrived so far).</summary>
    public bool HasNoPendingFrames => _texts.Reader.Count == 0;

    /// <summary>Sends a close frame (or one without status when <paramref name="code"/> is null) and returns the server's close.</summary>
    public async Task<(WebSocketCloseStatus? Status, string? Reason)> CloseAsync(int? code, string reason = "")
    {
        if (code is null)
            await _socket.CloseOutputAsync(WebSocketCloseStatus.Empty, null, CancellationToken.None);
        else
            await _socket.CloseOutputAsync((WebSocketCloseStatus)code.Value, reason, CancellationToken.None);
        return await ClosedByServerAsync();
    }

    /// <summary>The close frame the server sent.</summary>
    public Task<(WebSocketCloseStatus? Status, string? Reason)> ClosedByServerAsync(TimeSpan? timeout = null) =>
        _closed.Task.WaitAsync(timeout ?? DefaultTimeout);

    private async Task<string> DescribeEndAsync()
    {
        try
        {
            var (status, reason) = await _closed.Task;
            return $"server closed with {status} '{reason}'";
        }
        catch (Exception error)
        {
            return error.ToString();
        }
    }

    /// <summary>Drops the connection without a close frame.</summary>
    public void Abort() => _socket.Abort();

    public async ValueTask DisposeAsync()
    {
        _socket.Abort();
        await _reader.WaitAsync(DefaultTimeout);
        _socket.Dispose();
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    _closed.TrySetResult((_socket.CloseStatus, _socket.CloseStatusDescription));
                    if (_socket.State == WebSocketState.CloseReceived)
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    return;
                }
                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                    continue;
                var text = result.MessageType == WebSocketMessageType.Text
                    ? Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length)
                    : "<binary>";
                message.SetLength(0);
                await _texts.Writer.WriteAsync(text);
            }
        }
        catch (Exception error) when (error is WebSocketException or ObjectDisposedException or OperationCanceledException or IOException)
        {
            _closed.TrySetException(error);
        }
        finally
        {
            _texts.Writer.TryComplete();
        }
    }
}

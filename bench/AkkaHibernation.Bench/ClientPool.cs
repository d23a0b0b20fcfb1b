using System.Net;

namespace AkkaHibernation.Bench;

/// <summary>
/// Many <see cref="BenchClient"/>s sharing one HTTP handler, opened in parallel batches so thousands of handshakes
/// do not all hit the server at once, spread over <see cref="LoopbackSources"/> so tens of thousands fit. With
/// <paramref name="deflate"/> every client offers permessage-deflate. The pool counts the bytes its clients read off
/// their TCP connections (<see cref="WireBytesReceived"/>).
/// </summary>
public sealed class ClientPool(bool deflate = false) : IAsyncDisposable
{
    private const int BatchSize = 100;
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);

    private readonly List<BenchClient> _clients = new();
    private long _wireBytes;
    private HttpMessageInvoker? _invoker;

    /// <summary>Bytes all clients have read from their TCP connections: the 101s and every frame as sent.</summary>
    public long WireBytesReceived => Interlocked.Read(ref _wireBytes);

    private HttpMessageInvoker Invoker => _invoker ??= new HttpMessageInvoker(new SocketsHttpHandler
    {
        UseProxy = false,
        AutomaticDecompression = DecompressionMethods.None,
        ConnectCallback = async (context, cancellationToken) =>
            new CountingStream(await LoopbackSources.ConnectAsync(context, cancellationToken), read => Interlocked.Add(ref _wireBytes, read)),
    });

    public IReadOnlyList<BenchClient> Clients => _clients;

    /// <summary>Opens <paramref name="count"/> clients (client i to <paramref name="uriOf"/>(i)); throws if any fails.</summary>
    public async Task OpenAsync(int count, Func<int, Uri> uriOf, FrameHandler onFrame)
    {
        for (var start = 0; start < count; start += BatchSize)
        {
            var batch = Enumerable.Range(start, Math.Min(BatchSize, count - start))
                .Select(i => BenchClient.ConnectAsync(i, uriOf(i), Invoker, onFrame, ConnectTimeout, deflate))
                .ToList();
            try
            {
                await Task.WhenAll(batch);
            }
            catch (Exception)
            {
                _clients.AddRange(batch.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result));
                var failed = batch.Where(t => !t.IsCompletedSuccessfully).ToList();
                var first = failed[0].Exception?.GetBaseException().Message ?? "cancelled";
                throw new InvalidOperationException(
                    $"{failed.Count} of {batch.Count} connections in the batch starting at {start} failed (opened {_clients.Count} in all); first error: {first}");
            }
            _clients.AddRange(batch.Select(t => t.Result));
        }
    }

    /// <summary>
    /// Opens one client on the pool's handler that the caller owns and disposes (it is not in <see cref="Clients"/>),
    /// for scenarios whose clients come and go.
    /// </summary>
    public Task<BenchClient> ConnectOneAsync(Uri uri, FrameHandler onFrame) =>
        BenchClient.ConnectAsync(-1, uri, Invoker, onFrame, ConnectTimeout, deflate);

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_clients.Select(client => client.DisposeAsync().AsTask()));
        _invoker?.Dispose();
    }
}

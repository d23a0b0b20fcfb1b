using System.Net;

namespace AkkaHibernation.Bench;

/// <summary>
/// Many <see cref="BenchClient"/>s sharing one HTTP handler, opened with a bounded number of handshakes in flight so
/// thousands do not all hit the server at once, spread over <see cref="LoopbackSources"/> so tens of thousands fit. With
/// <paramref name="deflate"/> every client offers permessage-deflate. The pool counts the bytes its clients read off
/// their TCP connections (<see cref="WireBytesReceived"/>).
/// </summary>
public sealed class ClientPool(bool deflate = false) : IAsyncDisposable
{
    /// <summary>Handshakes in flight at once while opening.</summary>
    public const int InFlight = 100;
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

    /// <summary>
    /// Opens <paramref name="count"/> clients (client i to <paramref name="uriOf"/>(i)), keeping
    /// <see cref="InFlight"/> handshakes going at once: each one that completes starts the next, as a crowd of
    /// reconnecting clients would, rather than batches that each wait for their slowest handshake. Throws if any fails.
    /// </summary>
    public async Task OpenAsync(int count, Func<int, Uri> uriOf, FrameHandler onFrame)
    {
        var opened = new BenchClient?[count];
        var next = -1;
        var failures = new List<(int Index, Exception Error)>();
        async Task OpenInTurnAsync()
        {
            for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                try
                {
                    opened[i] = await BenchClient.ConnectAsync(i, uriOf(i), Invoker, onFrame, ConnectTimeout, deflate);
                }
                catch (Exception error)
                {
                    lock (failures)
                        failures.Add((i, error));
                    return;
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Math.Min(InFlight, count)).Select(_ => OpenInTurnAsync()));
        _clients.AddRange(opened.OfType<BenchClient>());
        if (failures.Count > 0)
        {
            var first = failures.MinBy(failure => failure.Index);
            throw new InvalidOperationException(
                $"{failures.Count} connections failed (opened {_clients.Count} of {count}); the first, client {first.Index}: {first.Error.GetBaseException().Message}");
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

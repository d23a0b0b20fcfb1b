using System.Collections.Concurrent;
using System.Net;

namespace AkkaHibernation.Transport.Access;

/// <summary>Counts open connections per node and per client address, and refuses those over the limits.</summary>
internal sealed class ConnectionLimiter(int maxConnections, int maxPerAddress)
{
    private readonly ConcurrentDictionary<IPAddress, int> _perAddress = new();
    private int _total;

    /// <summary>Takes a slot for <paramref name="address"/>, or says why not (then nothing is taken).</summary>
    public AccessDenied? TryAcquire(IPAddress address)
    {
        if (Interlocked.Increment(ref _total) > maxConnections)
        {
            Interlocked.Decrement(ref _total);
            return new AccessDenied(503, $"Server is at its limit of {maxConnections} connections");
        }
        var count = _perAddress.AddOrUpdate(address, 1, (_, current) => current + 1);
        if (count <= maxPerAddress)
            return null;
        Release(address);
        return new AccessDenied(429, $"Too many connections from {address}: the limit is {maxPerAddress}");
    }

    /// <summary>Takes a slot whatever the limits: for a socket admitted already, by the process it was adopted from.</summary>
    public void Acquire(IPAddress address)
    {
        Interlocked.Increment(ref _total);
        _perAddress.AddOrUpdate(address, 1, (_, current) => current + 1);
    }

    /// <summary>Gives back a slot taken by <see cref="TryAcquire"/> or <see cref="Acquire"/>.</summary>
    public void Release(IPAddress address)
    {
        Interlocked.Decrement(ref _total);
        if (_perAddress.AddOrUpdate(address, 0, (_, current) => current - 1) <= 0)
            _perAddress.TryRemove(new KeyValuePair<IPAddress, int>(address, 0));
    }
}

using System.Buffers;

namespace AkkaHibernation.Transport.Compression;

/// <summary>
/// An inflated message: its bytes and where they live. Small buffers come from <see cref="ArrayPool{T}.Shared"/>; past
/// <see cref="LargestPooledBytes"/> a buffer is allocated at exactly the size needed, because the pool rounds up to a
/// power of two and would double what a message near the limit costs.
/// </summary>
internal sealed class InflatedMessage : IDisposable
{
    private const int LargestPooledBytes = 1024 * 1024;

    private byte[] _buffer;
    private int _capacity;
    private bool _pooled;

    public InflatedMessage(int capacity)
    {
        (_buffer, _pooled) = Allocate(capacity);
        _capacity = capacity;
    }

    /// <summary>Bytes inflated so far.</summary>
    public int Length { get; private set; }

    public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, Length);

    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, Length);

    public bool IsFull => Length == _capacity;

    /// <summary>Doubles the capacity, up to <paramref name="maxCapacity"/>.</summary>
    public void Grow(int maxCapacity)
    {
        var capacity = (int)Math.Min((long)_capacity * 2, maxCapacity);
        var (grown, pooled) = Allocate(capacity);
        Span.CopyTo(grown);
        Dispose();
        (_buffer, _pooled, _capacity) = (grown, pooled, capacity);
    }

    /// <summary>Reads what fits from <paramref name="source"/>; false at its end.</summary>
    public bool ReadFrom(Stream source)
    {
        var read = source.Read(_buffer, Length, _capacity - Length);
        Length += read;
        return read > 0;
    }

    public void Dispose()
    {
        if (_pooled)
            ArrayPool<byte>.Shared.Return(_buffer);
        _pooled = false;
    }

    private static (byte[] Buffer, bool Pooled) Allocate(int capacity) =>
        capacity <= LargestPooledBytes
            ? (ArrayPool<byte>.Shared.Rent(capacity), true)
            : (GC.AllocateUninitializedArray<byte>(capacity), false);
}

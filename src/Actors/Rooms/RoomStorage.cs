using System.Text;
using System.Text.Json;
using AkkaHibernation.Actors.Behaviours;
using AkkaHibernation.Actors.Hibernation;
using AkkaHibernation.Actors.Serialization;
using static AkkaHibernation.Actors.Rooms.RoomEvents;

namespace AkkaHibernation.Actors.Rooms;

/// <summary>The room's key-value storage, read from the room's state and written as room events through the runtime.</summary>
internal sealed class RoomStorage(Func<RoomState> state, Action<IRoomEvent> record, HibernationSettings settings) : IRoomStorage
{
    public T? Get<T>(string key) =>
        state().Storage.TryGetValue(key, out var value) ? value.Deserialize<T>(JournalSerializer.JsonOptions) : default;

    public void Put<T>(string key, T value)
    {
        RequireKey(key);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(value, JournalSerializer.JsonOptions);
        if (bytes.Length > settings.MaxStorageValueBytes)
            throw new ArgumentException(
                $"Value for '{key}' is {bytes.Length} bytes serialized; the limit is {settings.MaxStorageValueBytes} bytes", nameof(value));
        using var document = JsonDocument.Parse(bytes);
        record(new StoragePut(key, document.RootElement.Clone()));
    }

    public bool Delete(string key)
    {
        RequireKey(key);
        if (!state().Storage.ContainsKey(key))
            return false;
        record(new StorageDeleted(key));
        return true;
    }

    public IReadOnlyList<KeyValuePair<string, JsonElement>> List(StorageListOptions? options = null)
    {
        options ??= new StorageListOptions();
        IEnumerable<KeyValuePair<string, JsonElement>> entries = state().Storage;
        if (options.Prefix is { } prefix)
            entries = entries.Where(e => e.Key.StartsWith(prefix, StringComparison.Ordinal));
        if (options.Start is { } start)
            entries = entries.Where(e => string.CompareOrdinal(e.Key, start) >= 0);
        if (options.End is { } end)
            entries = entries.Where(e => string.CompareOrdinal(e.Key, end) < 0);
        if (options.Reverse)
            entries = entries.Reverse();
        if (options.Limit is { } limit)
            entries = entries.Take(limit);
        return entries.ToList();
    }

    private void RequireKey(string key)
    {
        var bytes = Encoding.UTF8.GetByteCount(key);
        if (bytes == 0 || bytes > settings.MaxStorageKeyBytes)
            throw new ArgumentException($"Storage key must be 1 to {settings.MaxStorageKeyBytes} UTF-8 bytes, got {bytes}", nameof(key));
    }
}

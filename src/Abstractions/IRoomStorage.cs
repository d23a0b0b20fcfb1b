using System.Text.Json;

namespace AkkaHibernation;

/// <summary>
/// A room's durable key-value storage (the equivalent of a Durable Object's <c>ctx.storage</c>). Values are JSON.
/// Writes apply at once for the handler that makes them and are persisted with the handler's other writes, in one
/// journal write, before any frame the handler sent goes out; a handler that throws leaves no write behind.
/// </summary>
public interface IRoomStorage
{
    /// <summary>The value of <paramref name="key"/>, or default when absent.</summary>
    T? Get<T>(string key);

    /// <summary>Stores <paramref name="value"/> under <paramref name="key"/>.</summary>
    /// <exception cref="ArgumentException">The key or the serialized value is over its limit.</exception>
    void Put<T>(string key, T value);

    /// <summary>Removes <paramref name="key"/>; false when it was absent.</summary>
    bool Delete(string key);

    /// <summary>Entries in ordinal key order (or reversed), filtered by prefix and by the half-open range [start, end).</summary>
    IReadOnlyList<KeyValuePair<string, JsonElement>> List(StorageListOptions? options = null);
}

/// <summary>What <see cref="IRoomStorage.List"/> returns.</summary>
/// <param name="Prefix">Only keys that start with this.</param>
/// <param name="Start">Only keys at or after this (ordinal).</param>
/// <param name="End">Only keys before this (ordinal).</param>
/// <param name="Limit">At most this many entries.</param>
/// <param name="Reverse">Descending key order.</param>
public sealed record StorageListOptions(string? Prefix = null, string? Start = null, string? End = null, int? Limit = null, bool Reverse = false);

using System.Text.Json;
using System.Text.Json.Serialization;

namespace AkkaHibernation.Ids;

/// <summary>
/// Writes a <see cref="IStringId{TSelf}"/> as its plain string, as a value and as a dictionary key, so the JSON of the
/// journal and of cluster messages is what it was when these ids were strings, and old journals load.
/// </summary>
public sealed class StringIdJsonConverter<TId> : JsonConverter<TId> where TId : struct, IStringId<TId>
{
    /// <inheritdoc />
    public override TId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        TId.Parse(reader.GetString() ?? throw new JsonException($"{typeof(TId).Name} must be a string, not null"));

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, TId value, JsonSerializerOptions options) => writer.WriteStringValue(value.Value);

    /// <inheritdoc />
    public override TId ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        TId.Parse(reader.GetString()!);

    /// <inheritdoc />
    public override void WriteAsPropertyName(Utf8JsonWriter writer, TId value, JsonSerializerOptions options) =>
        writer.WritePropertyName(value.Value);
}

using System.Runtime.Serialization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Akka.Actor;
using Akka.Serialization;
using AkkaHibernation.Actors.Behaviours;
using AkkaHibernation.Actors.Sessions;
using static AkkaHibernation.Actors.Cluster.EdgeProtocol;
using static AkkaHibernation.Actors.Hibernation.HibernationProtocol;
using static AkkaHibernation.Actors.Rooms.RoomProtocol;

namespace AkkaHibernation.Actors.Serialization;

/// <summary>
/// Writes the messages that cross nodes in cluster mode (<see cref="IWireMessage"/>) as JSON with versioned
/// manifests, like the journal: a node of the next release still reads what this one sends. Message payloads are
/// written as JSON strings when they are text (straight from their UTF-8 bytes) and as base64 when binary.
/// </summary>
public sealed class WireSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <summary>The serializer id bound in <c>hocon/akka.hocon</c>.</summary>
    public const int Id = 4712;

    private static readonly ManifestTable Manifests = new("wire", new Dictionary<string, Type>
    {
        ["Connect.v1"] = typeof(Connect),
        ["Accepted.v1"] = typeof(Accepted),
        ["Rejected.v1"] = typeof(Rejected),
        ["Inbound.v1"] = typeof(Inbound),
        ["Wake.v1"] = typeof(Wake),
        ["Closed.v1"] = typeof(Closed),
        ["EdgeBatch.v1"] = typeof(EdgeBatch),
        ["ProbeSessions.v1"] = typeof(ProbeSessions),
        ["AlarmScheduled.v1"] = typeof(AlarmScheduled),
    });

    private static readonly JsonSerializerOptions Options = CreateOptions();

    /// <inheritdoc />
    public override int Identifier => Id;

    /// <inheritdoc />
    public override string Manifest(object o) => Manifests.ManifestOf(o);

    /// <inheritdoc />
    public override byte[] ToBinary(object obj) => JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), Options);

    /// <inheritdoc />
    public override object FromBinary(byte[] bytes, string manifest)
    {
        var message = JsonSerializer.Deserialize(bytes, Manifests.TypeOf(manifest), Options)
                      ?? throw new SerializationException($"Wire message with manifest {manifest} holds JSON null");
        // Header names are case-insensitive in HTTP, and the transport hands rooms a dictionary that knows it.
        return message is Connect connect
            ? connect with
            {
                Request = connect.Request with
                {
                    Headers = new Dictionary<string, string>(connect.Request.Headers, StringComparer.OrdinalIgnoreCase),
                },
            }
            : message;
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { DescribeChannelCommands } },
        };
        options.Converters.Add(new RoomMessageConverter());
        options.Converters.Add(new OutboundFrameConverter());
        return options;
    }

    /// <summary>Commands are a closed hierarchy: name each kind in the JSON rather than in attributes on the domain types.</summary>
    private static void DescribeChannelCommands(JsonTypeInfo info)
    {
        if (info.Type != typeof(ChannelCommand))
            return;
        info.PolymorphismOptions = new JsonPolymorphismOptions
        {
            TypeDiscriminatorPropertyName = "kind",
            DerivedTypes =
            {
                new JsonDerivedType(typeof(ChannelCommand.Deliver), "deliver"),
                new JsonDerivedType(typeof(ChannelCommand.Close), "close"),
                new JsonDerivedType(typeof(ChannelCommand.UseAutoResponse), "useAutoResponse"),
                new JsonDerivedType(typeof(ChannelCommand.Release), "release"),
                new JsonDerivedType(typeof(ChannelCommand.Acknowledge), "acknowledge"),
            },
        };
    }

    /// <summary>Writes <c>{"text": "..."}</c> from UTF-8 bytes without decoding them, or <c>{"binary": "base64"}</c>.</summary>
    private static void WritePayload(Utf8JsonWriter writer, ReadOnlySpan<byte> payload, bool isText)
    {
        writer.WriteStartObject();
        if (isText)
            writer.WriteString("text"u8, payload);
        else
            writer.WriteBase64String("binary"u8, payload);
        writer.WriteEndObject();
    }

    /// <summary>Reads what <see cref="WritePayload"/> wrote: the payload's bytes and whether it is text.</summary>
    private static (byte[] Payload, bool IsText) ReadPayload(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject || !reader.Read() || reader.TokenType != JsonTokenType.PropertyName)
            throw new JsonException("A payload is an object with one property, text or binary");
        var isText = reader.ValueTextEquals("text"u8);
        if (!isText && !reader.ValueTextEquals("binary"u8))
            throw new JsonException($"Unknown payload property '{reader.GetString()}'");
        reader.Read();
        byte[] payload;
        if (isText)
        {
            var buffer = new byte[reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length];
            payload = buffer[..reader.CopyString(buffer)];
        }
        else
        {
            payload = reader.GetBytesFromBase64();
        }
        if (!reader.Read() || reader.TokenType != JsonTokenType.EndObject)
            throw new JsonException("A payload has one property");
        return (payload, isText);
    }

    private sealed class RoomMessageConverter : JsonConverter<RoomMessage>
    {
        public override RoomMessage Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var (payload, isText) = ReadPayload(ref reader);
            return isText ? RoomMessage.FromText(System.Text.Encoding.UTF8.GetString(payload)) : RoomMessage.FromBinary(payload);
        }

        public override void Write(Utf8JsonWriter writer, RoomMessage value, JsonSerializerOptions options)
        {
            if (value.Text is { } text)
            {
                writer.WriteStartObject();
                writer.WriteString("text"u8, text);
                writer.WriteEndObject();
            }
            else
            {
                WritePayload(writer, value.Data.Span, isText: false);
            }
        }
    }

    private sealed class OutboundFrameConverter : JsonConverter<OutboundFrame>
    {
        public override OutboundFrame Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var (payload, isText) = ReadPayload(ref reader);
            return new OutboundFrame(payload, isText);
        }

        public override void Write(Utf8JsonWriter writer, OutboundFrame value, JsonSerializerOptions options) =>
            WritePayload(writer, value.Payload.Span, value.IsText);
    }
}

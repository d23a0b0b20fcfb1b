using System.Runtime.Serialization;
using System.Text.Json;
using Akka.Actor;
using Akka.Serialization;
using AkkaHibernation.Actors.Rooms;
using static AkkaHibernation.Actors.Rooms.RoomEvents;

namespace AkkaHibernation.Actors.Serialization;

/// <summary>
/// Writes journal events and snapshots as plain JSON with versioned manifests (<c>SessionOpened.v1</c>), so
/// that renaming a CLR type never breaks replay and operators can read rows with <c>sqlite3</c>.
/// </summary>
public sealed class JournalSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <summary>The serializer id bound in <c>hocon/akka.hocon</c>.</summary>
    public const int Id = 4711;

    /// <summary>JSON options shared by the journal and room attachments: camelCase, like the JavaScript of the seed (the reference Worker and Durable Object this server ports).</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web);

    private const string RoomSnapshotManifest = "RoomSnapshot.v1";

    private static readonly ManifestTable Manifests = new("journal", new Dictionary<string, Type>
    {
        ["SessionOpened.v1"] = typeof(SessionOpened),
        ["AttachmentChanged.v1"] = typeof(AttachmentChanged),
        ["SessionClosed.v1"] = typeof(SessionClosed),
        ["AutoResponseChanged.v1"] = typeof(AutoResponseChanged),
        ["StoragePut.v1"] = typeof(StoragePut),
        ["StorageDeleted.v1"] = typeof(StorageDeleted),
        ["AlarmSet.v1"] = typeof(AlarmSet),
        ["AlarmDeleted.v1"] = typeof(AlarmDeleted),
        ["AlarmIndexed.v1"] = typeof(Hibernation.AlarmIndex.AlarmIndexed),
        ["AlarmIndexSnapshot.v1"] = typeof(Hibernation.AlarmIndex.AlarmIndexSnapshot),
        [RoomSnapshotManifest] = typeof(RoomSnapshot),
    });

    /// <inheritdoc />
    public override int Identifier => Id;

    /// <inheritdoc />
    public override string Manifest(object o) => Manifests.ManifestOf(o);

    /// <inheritdoc />
    public override byte[] ToBinary(object obj) => JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), JsonOptions);

    /// <inheritdoc />
    public override object FromBinary(byte[] bytes, string manifest) =>
        // A wake waits for its snapshot: read it with the dedicated reader when the row has the shape we write.
        manifest == RoomSnapshotManifest && RoomSnapshotReader.TryRead(bytes, out var snapshot)
            ? snapshot
            : Deserialize(bytes, manifest);

    private static object Deserialize(byte[] bytes, string manifest) =>
        JsonSerializer.Deserialize(bytes, Manifests.TypeOf(manifest), JsonOptions)
        ?? throw new SerializationException($"Journal row with manifest {manifest} holds JSON null");
}

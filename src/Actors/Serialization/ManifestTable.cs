using System.Runtime.Serialization;

namespace AkkaHibernation.Actors.Serialization;

/// <summary>
/// The versioned manifests of one serializer (<c>SessionOpened.v1</c> ↔ its type), both ways, with the errors both
/// the journal and the wire give for a type or manifest they do not know. <paramref name="kind"/> names which
/// (<c>journal</c>, <c>wire</c>) in those errors.
/// </summary>
internal sealed class ManifestTable(string kind, IReadOnlyDictionary<string, Type> typesByManifest)
{
    private readonly Dictionary<Type, string> _manifestsByType = typesByManifest.ToDictionary(pair => pair.Value, pair => pair.Key);

    /// <summary>The manifest of <paramref name="o"/>'s type; an <see cref="ArgumentException"/> for a type without one.</summary>
    public string ManifestOf(object o) =>
        _manifestsByType.TryGetValue(o.GetType(), out var manifest)
            ? manifest
            : throw new ArgumentException($"{o.GetType()} has no {kind} manifest", nameof(o));

    /// <summary>The type written under <paramref name="manifest"/>; a <see cref="SerializationException"/> for an unknown one.</summary>
    public Type TypeOf(string manifest) =>
        typesByManifest.TryGetValue(manifest, out var type)
            ? type
            : throw new SerializationException($"Unknown {kind} manifest '{manifest}'");
}

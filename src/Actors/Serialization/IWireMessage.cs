namespace AkkaHibernation.Actors.Serialization;

/// <summary>
/// Marker for messages that cross nodes in cluster mode; <see cref="WireSerializer"/> writes them (bound in
/// <c>hocon/akka.hocon</c>), because the default serializer cannot carry their <see cref="ReadOnlyMemory{T}"/> payloads.
/// </summary>
public interface IWireMessage;

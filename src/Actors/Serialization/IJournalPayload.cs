namespace AkkaHibernation.Actors.Serialization;

/// <summary>Marker for everything written to the journal or snapshot store; bound to <see cref="JournalSerializer"/> in HOCON.</summary>
public interface IJournalPayload;

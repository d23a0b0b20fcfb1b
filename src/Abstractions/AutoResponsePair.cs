namespace AkkaHibernation;

/// <summary>A request text that the transport answers with a response text without waking the room.</summary>
public sealed record AutoResponsePair(string Request, string Response);

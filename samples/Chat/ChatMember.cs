namespace AkkaHibernation.Samples.Chat;

/// <summary>What the room attaches to each socket: who is on it. It survives hibernation with the socket.</summary>
public sealed record ChatMember(string Name, DateTimeOffset JoinedAt);

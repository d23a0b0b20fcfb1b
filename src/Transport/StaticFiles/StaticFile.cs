namespace AkkaHibernation.Transport.StaticFiles;

/// <summary>One file the transport serves as it is.</summary>
/// <param name="ContentType">The Content-Type header, from the file's extension.</param>
/// <param name="Content">The file's bytes.</param>
public sealed record StaticFile(string ContentType, ReadOnlyMemory<byte> Content);

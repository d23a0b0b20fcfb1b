namespace AkkaHibernation.Transport.Compression;

/// <summary>A compressed message inflated past the message size limit; <see cref="AtLeast"/> bytes were produced before inflating stopped.</summary>
internal sealed class InflatedTooLargeException(int atLeast) : Exception($"Inflated to at least {atLeast} bytes")
{
    public int AtLeast { get; } = atLeast;
}

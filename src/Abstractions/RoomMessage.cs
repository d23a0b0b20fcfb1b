namespace AkkaHibernation;

/// <summary>A data message from a client: text, or binary when <see cref="Text"/> is null.</summary>
public readonly record struct RoomMessage(string? Text, ReadOnlyMemory<byte> Data)
{
    /// <summary>True for a text message.</summary>
    public bool IsText => Text is not null;

    /// <summary>A text message.</summary>
    public static RoomMessage FromText(string text) => new(text, ReadOnlyMemory<byte>.Empty);

    /// <summary>A binary message.</summary>
    public static RoomMessage FromBinary(ReadOnlyMemory<byte> data) => new(null, data);
}

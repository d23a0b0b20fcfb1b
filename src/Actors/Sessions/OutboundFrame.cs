using System.Text;

namespace AkkaHibernation.Actors.Sessions;

/// <summary>One data frame on its way to a client, already encoded so a broadcast encodes its text once.</summary>
public readonly record struct OutboundFrame(ReadOnlyMemory<byte> Payload, bool IsText)
{
    /// <summary>A text frame with the UTF-8 bytes of <paramref name="text"/>.</summary>
    public static OutboundFrame Text(string text) => new(Encoding.UTF8.GetBytes(text), true);

    /// <summary>A binary frame.</summary>
    public static OutboundFrame Binary(ReadOnlyMemory<byte> data) => new(data, false);
}

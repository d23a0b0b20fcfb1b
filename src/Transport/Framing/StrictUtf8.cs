using System.Text;
using AkkaHibernation.Actors.Rooms;

namespace AkkaHibernation.Transport.Framing;

/// <summary>RFC 6455 §8.1: text the peer sends (messages, close reasons) must be valid UTF-8, or the connection fails with 1007.</summary>
internal static class StrictUtf8
{
    private static readonly UTF8Encoding Encoding = new(false, throwOnInvalidBytes: true);

    /// <summary>Decodes <paramref name="bytes"/>; throws a 1007 <see cref="ProtocolViolation"/> saying <paramref name="error"/> when they are not UTF-8.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes, string error)
    {
        try
        {
            return Encoding.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new ProtocolViolation(CloseCodes.InvalidPayload, error);
        }
    }
}

namespace AkkaHibernation.Transport.Compression;

/// <summary>
/// Chooses the answer to a client's <c>permessage-deflate</c> offers (RFC 7692 §5, §7.1). The server accepts only
/// configurations without context takeover in either direction, so that no socket keeps deflate or inflate state
/// between messages: an idle socket costs nothing extra, and one compressed broadcast frame serves every socket.
/// </summary>
internal static class DeflateNegotiation
{
    /// <summary>The extension's name in offers and answers.</summary>
    public const string ExtensionName = "permessage-deflate";

    /// <summary>The largest LZ77 window, in bits: the one zlib's raw deflate uses, and the only one the server can promise.</summary>
    private const int FullWindowBits = 15;

    private const int MinWindowBits = 8;

    /// <summary>
    /// The <c>Sec-WebSocket-Extensions</c> value of the 101 for <paramref name="header"/> (the client's offers), or null
    /// to decline them all. Offers are tried in the client's order of preference (RFC 6455 §9.1); one is declined when
    /// a parameter is unknown, repeated or has an invalid value, or when it asks for a window smaller than the
    /// server's (zlib's raw deflate cannot be told to use one).
    /// </summary>
    public static string? Answer(string? header, CompressionSettings settings)
    {
        if (!settings.Enabled || string.IsNullOrWhiteSpace(header))
            return null;
        var offers = ExtensionOffer.ParseAll(header);
        if (offers is null)
            return null;
        foreach (var offer in offers)
        {
            if (offer.Name == ExtensionName && TryAccept(offer) is { } answer)
                return answer;
        }
        return null;
    }

    private static string? TryAccept(ExtensionOffer offer)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var serverWindowOffered = false;
        foreach (var (name, value) in offer.Parameters)
        {
            if (!seen.Add(name))
                return null;
            switch (name)
            {
                case "server_no_context_takeover" or "client_no_context_takeover" when value is null:
                    break;
                case "client_max_window_bits" when value is null || WindowBits(value) is not null:
                    break; // the client may limit its window; the server inflates any window up to 15 bits
                case "server_max_window_bits" when WindowBits(value) is { } bits:
                    if (bits < FullWindowBits)
                        return null;
                    serverWindowOffered = true;
                    break;
                default:
                    return null;
            }
        }
        // Both no_context_takeover parameters may be sent whether or not they were offered (RFC 7692 §7.1.1.1,
        // §7.1.1.2); server_max_window_bits must be answered when it was offered (§7.1.2.1).
        var answer = $"{ExtensionName}; server_no_context_takeover; client_no_context_takeover";
        return serverWindowOffered ? $"{answer}; server_max_window_bits={FullWindowBits}" : answer;
    }

    /// <summary>A window size parameter's value: 1*DIGIT from 8 to 15 (RFC 7692 §7.1.2), or null.</summary>
    private static int? WindowBits(string? value) =>
        value is { Length: 1 or 2 } && value.All(char.IsAsciiDigit) && int.Parse(value) is var bits and >= MinWindowBits and <= FullWindowBits
            ? bits
            : null;
}

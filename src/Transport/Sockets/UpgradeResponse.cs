using System.Security.Cryptography;
using System.Text;

namespace AkkaHibernation.Transport.Sockets;

/// <summary>
/// The server's half of the opening handshake (RFC 6455 §4.2.2), written by the transport itself. HttpListener's
/// <c>AcceptWebSocketAsync</c> cannot be used: given no subprotocol for a client that offered some, it answers with an
/// empty <c>Sec-WebSocket-Protocol</c>, which browsers refuse, and it has no way to name an extension.
/// </summary>
internal static class UpgradeResponse
{
    /// <summary>The GUID RFC 6455 §1.3 appends to the client's key.</summary>
    private const string KeyGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /// <summary>
    /// The 101 for the client's <c>Sec-WebSocket-Key</c>, naming <paramref name="subprotocol"/> and
    /// <paramref name="extensions"/> when they are set, and nothing about them otherwise.
    /// </summary>
    public static byte[] SwitchingProtocols(string key, string? subprotocol, string? extensions)
    {
        var response = new StringBuilder("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n")
            .Append("Sec-WebSocket-Accept: ").Append(AcceptValue(key)).Append("\r\n");
        if (subprotocol is not null)
            response.Append("Sec-WebSocket-Protocol: ").Append(subprotocol).Append("\r\n");
        if (extensions is not null)
            response.Append("Sec-WebSocket-Extensions: ").Append(extensions).Append("\r\n");
        return Encoding.ASCII.GetBytes(response.Append("\r\n").ToString());
    }

    /// <summary>base64(SHA-1(key + GUID)): proves to the client that this server read its handshake.</summary>
    public static string AcceptValue(string key) =>
        Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key.Trim() + KeyGuid)));
}

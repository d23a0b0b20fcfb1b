using System.Text.RegularExpressions;
using Xunit;

namespace AkkaHibernation.Tests.Support;

/// <summary>The seed's reply lines, written out independently of the server's code, and helpers to read them.</summary>
public static partial class Seed
{
    public const string Sender = "the initiating client";
    public const string All = "all clients";
    public const string Others = "all clients except the initiating client";
    public const string ClosingReason = "Durable Object is closing WebSocket";
    public const string SupportedEndpoints = "Supported endpoints:\n/websocket: Expects a WebSocket upgrade request";

    public static string Line(string message, string sessionId, string to, int total) =>
        $"[Durable Object] message: {message}, from: {sessionId}, to: {to}. Total connections: {total}";

    /// <summary>The session id in a reply line.</summary>
    public static string SessionIdOf(string line)
    {
        var match = SessionId().Match(line);
        if (!match.Success)
            throw new FormatException($"No session id in '{line}'");
        return match.Groups[1].Value;
    }

    /// <summary>Sends <paramref name="message"/> from <paramref name="sender"/> and returns its session id, read from the echo.</summary>
    public static async Task<string> IdentifyAsync(TestClient sender, string message = "who am I")
    {
        await sender.SendAsync(message);
        var echo = await sender.ReceiveAsync();
        await sender.ReceiveAsync(); // the broadcast copy
        return SessionIdOf(echo);
    }

    /// <summary>
    /// Identifies two clients of one room in turn ("a", then "b"), reading the copies each sees of the other's
    /// message, and returns their session ids.
    /// </summary>
    public static async Task<(string IdA, string IdB)> IdentifyBothAsync(TestClient a, TestClient b)
    {
        var idA = await IdentifyAsync(a, "a");
        await b.ReceiveAsync(2);
        var idB = await IdentifyAsync(b, "b");
        await a.ReceiveAsync(2);
        return (idA, idB);
    }

    /// <summary>
    /// Asserts the seed's three copies of <paramref name="message"/> from the session <paramref name="senderId"/>:
    /// to the sender, to all, and to the others, as <paramref name="sender"/> and <paramref name="other"/> receive them.
    /// </summary>
    public static async Task ExpectBroadcastAsync(string message, TestClient sender, string senderId, TestClient other, int total)
    {
        Assert.Equal([Line(message, senderId, Sender, total), Line(message, senderId, All, total)], await sender.ReceiveAsync(2));
        Assert.Equal([Line(message, senderId, All, total), Line(message, senderId, Others, total)], await other.ReceiveAsync(2));
    }

    [GeneratedRegex("from: ([0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}), to: ")]
    private static partial Regex SessionId();
}

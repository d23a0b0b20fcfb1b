namespace AkkaHibernation.Bench;

/// <summary>Which of the room's three lines a frame is.</summary>
public enum FrameKind
{
    /// <summary>Not a room line (e.g. "pong").</summary>
    Other,

    /// <summary>"to: the initiating client", only the sender gets it.</summary>
    Own,

    /// <summary>"to: all clients", everyone gets it.</summary>
    All,

    /// <summary>"to: all clients except the initiating client".</summary>
    Others,
}

/// <summary>
/// One room line, <c>[Durable Object] message: M, from: ID, to: TARGET. Total connections: N</c>, taken apart.
/// </summary>
public readonly record struct Frame(FrameKind Kind, string Message, int TotalConnections)
{
    private const string Prefix = "[Durable Object] message: ";
    private const string From = ", from: ";
    private const string To = ", to: ";
    private const string Total = ". Total connections: ";

    public static Frame Parse(string text)
    {
        if (!text.StartsWith(Prefix, StringComparison.Ordinal))
            return new Frame(FrameKind.Other, text, 0);
        var from = text.IndexOf(From, Prefix.Length, StringComparison.Ordinal);
        var to = from < 0 ? -1 : text.IndexOf(To, from, StringComparison.Ordinal);
        var total = text.LastIndexOf(Total, StringComparison.Ordinal);
        if (from < 0 || to < 0 || total < to)
            return new Frame(FrameKind.Other, text, 0);

        var target = text.AsSpan(to + To.Length, total - to - To.Length);
        var kind = target switch
        {
            "the initiating client" => FrameKind.Own,
            "all clients" => FrameKind.All,
            "all clients except the initiating client" => FrameKind.Others,
            _ => FrameKind.Other,
        };
        _ = int.TryParse(text.AsSpan(total + Total.Length), out var connections);
        return new Frame(kind, text[Prefix.Length..from], connections);
    }
}

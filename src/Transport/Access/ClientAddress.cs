using System.Net;

namespace AkkaHibernation.Transport.Access;

/// <summary>
/// The address of the client behind a request. It is the TCP peer's, unless the peer is one of the trusted proxies
/// (<c>akka-hibernation.transport.trusted-proxies</c>): then the forwarding headers are read, <c>Forwarded</c>
/// (RFC 7239) if present, else <c>X-Forwarded-For</c>, from the nearest hop outwards, and the first hop that is not a
/// trusted proxy is the client. Nothing a client writes in those headers counts unless a trusted proxy passed it on,
/// and a proxy only appends, so entries left of the first untrusted hop are never believed.
/// </summary>
public static class ClientAddress
{
    /// <summary>
    /// The client's address for a request from <paramref name="peer"/> with these headers. A hop that cannot be
    /// read (<c>unknown</c>, an obfuscated name, garbage) ends the walk: the last address read is the client's.
    /// </summary>
    public static IPAddress Resolve(IPAddress peer, string? forwarded, string? forwardedFor, IReadOnlyList<IPNetwork> trustedProxies)
    {
        var current = Normal(peer);
        if (trustedProxies.Count == 0 || !IsTrusted(current, trustedProxies))
            return current;
        var hops = forwarded is not null ? ForwardedFor(forwarded) : forwardedFor?.Split(',') ?? [];
        for (var i = hops.Length - 1; i >= 0; i--)
        {
            if (Parse(hops[i]) is not { } hop)
                return current;
            current = hop;
            if (!IsTrusted(hop, trustedProxies))
                return hop;
        }
        return current;
    }

    /// <summary>
    /// Reads the setting's entries, each an address (<c>10.0.0.5</c>, <c>::1</c>) or a CIDR range (<c>10.0.0.0/8</c>).
    /// Throws <see cref="FormatException"/> naming the first entry that is neither.
    /// </summary>
    public static IReadOnlyList<IPNetwork> ParseTrusted(IEnumerable<string> entries) =>
        entries.Select(entry =>
        {
            if (IPNetwork.TryParse(entry, out var network))
                return network;
            if (IPAddress.TryParse(entry, out var address))
            {
                address = Normal(address);
                return new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            }
            throw new FormatException($"'{entry}' is neither an IP address nor a CIDR range such as 10.0.0.0/8");
        }).ToList();

    private static bool IsTrusted(IPAddress address, IReadOnlyList<IPNetwork> trustedProxies) =>
        trustedProxies.Any(network => network.Contains(address));

    /// <summary>The <c>for=</c> value of each element of a <c>Forwarded</c> header, nearest hop last (RFC 7239 §4).</summary>
    private static string[] ForwardedFor(string header) =>
        header.Split(',')
            .Select(element => element.Split(';')
                .Select(pair => pair.Trim())
                .FirstOrDefault(pair => pair.StartsWith("for=", StringComparison.OrdinalIgnoreCase))?[4..] ?? "")
            .ToArray();

    /// <summary>An address from one hop: <c>192.0.2.60</c>, <c>"[2001:db8::1]:4711"</c>, <c>192.0.2.60:1234</c>; null for anything else.</summary>
    private static IPAddress? Parse(string hop)
    {
        var value = hop.Trim().Trim('"');
        if (value.StartsWith('['))
        {
            var end = value.IndexOf(']');
            value = end > 0 ? value[1..end] : "";
        }
        else if (value.Count(c => c == ':') == 1)
        {
            value = value[..value.IndexOf(':')]; // IPv4 with a port
        }
        return IPAddress.TryParse(value, out var address) ? Normal(address) : null;
    }

    // A dual-stack listener reports IPv4 clients as ::ffff:a.b.c.d; they are the same client as a.b.c.d.
    private static IPAddress Normal(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}

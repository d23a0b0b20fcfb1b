using System.Net;
using AkkaHibernation.Transport.Access;
using Xunit;

namespace AkkaHibernation.Tests.Transport;

/// <summary>Whose address a request is: forwarding headers count only as far as trusted proxies passed them on.</summary>
public sealed class ClientAddressSpecs
{
    private static readonly IReadOnlyList<IPNetwork> Proxies = ClientAddress.ParseTrusted(["127.0.0.1", "10.0.0.0/8"]);

    private static string Resolve(string peer, string? forwardedFor, string? forwarded = null, IReadOnlyList<IPNetwork>? trusted = null) =>
        ClientAddress.Resolve(IPAddress.Parse(peer), forwarded, forwardedFor, trusted ?? Proxies).ToString();

    [Theory]
    [InlineData("198.51.100.9", "203.0.113.7", "198.51.100.9")] // not a proxy: what it claims is ignored
    [InlineData("127.0.0.1", null, "127.0.0.1")] // a proxy that forwarded nothing is the client
    [InlineData("127.0.0.1", "203.0.113.7", "203.0.113.7")]
    [InlineData("127.0.0.1", "203.0.113.7, 10.0.0.2", "203.0.113.7")] // two proxies, both trusted
    [InlineData("127.0.0.1", "6.6.6.6, 203.0.113.7", "203.0.113.7")] // the client's own header, to the left, is not believed
    [InlineData("127.0.0.1", "10.0.0.3, 10.0.0.2", "10.0.0.3")] // every hop a proxy: the farthest
    [InlineData("127.0.0.1", "203.0.113.7, unknown", "127.0.0.1")] // a hop that cannot be read ends the walk
    [InlineData("127.0.0.1", "203.0.113.7:5123", "203.0.113.7")]
    [InlineData("::ffff:127.0.0.1", "203.0.113.7", "203.0.113.7")] // a dual-stack listener's view of an IPv4 proxy
    public void X_Forwarded_For_is_read_from_the_nearest_hop_outwards_and_only_from_trusted_proxies(string peer, string? header, string client) =>
        Assert.Equal(client, Resolve(peer, header));

    [Fact]
    public void Forwarded_wins_over_X_Forwarded_For_and_names_IPv6_clients_with_ports() =>
        Assert.Equal("2001:db8::1", Resolve("127.0.0.1", "203.0.113.7", "for=192.0.2.60;proto=https, for=\"[2001:db8::1]:4711\""));

    [Fact]
    public void With_no_trusted_proxy_every_peer_is_the_client() =>
        Assert.Equal("127.0.0.1", Resolve("127.0.0.1", "203.0.113.7", trusted: []));

    [Fact]
    public void A_trusted_proxy_entry_that_is_no_address_nor_range_is_refused_by_name() =>
        Assert.Equal("'10.0.0.0/33' is neither an IP address nor a CIDR range such as 10.0.0.0/8",
            Assert.Throws<FormatException>(() => ClientAddress.ParseTrusted(["::1", "10.0.0.0/33"])).Message);
}

using System.IO.Compression;
using AkkaHibernation.Transport.Compression;
using Xunit;

namespace AkkaHibernation.Tests.Transport;

/// <summary>RFC 7692 §5 and §7.1: which permessage-deflate offers the server accepts, and what it answers.</summary>
public sealed class DeflateNegotiationSpecs
{
    private const string Accepted = "permessage-deflate; server_no_context_takeover; client_no_context_takeover";

    private static readonly CompressionSettings On = new(true, 1024, CompressionLevel.Fastest);

    [Theory]
    [InlineData("permessage-deflate")]
    [InlineData("permessage-deflate; client_max_window_bits")] // browsers and Node's ws
    [InlineData("permessage-deflate; client_max_window_bits=10")]
    [InlineData("permessage-deflate; client_no_context_takeover")]
    [InlineData("permessage-deflate;server_no_context_takeover ; client_max_window_bits=\"15\"")] // quoted value
    [InlineData("x-webkit-deflate-frame, permessage-deflate")] // an unknown extension first
    [InlineData("permessage-deflate; server_max_window_bits=10, permessage-deflate")] // the first offer declined, the second taken
    public void An_offer_the_server_can_honour_is_answered_without_context_takeover(string offer) =>
        Assert.Equal(Accepted, DeflateNegotiation.Answer(offer, On));

    [Fact]
    public void An_offered_server_window_of_15_bits_is_answered_with_the_same_value() =>
        Assert.Equal($"{Accepted}; server_max_window_bits=15",
            DeflateNegotiation.Answer("permessage-deflate; server_max_window_bits=15; client_max_window_bits", On));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("x-webkit-deflate-frame")] // only an unknown extension
    [InlineData("permessage-deflate; server_max_window_bits=9")] // zlib's raw deflate cannot promise a smaller window
    [InlineData("permessage-deflate; server_max_window_bits")] // needs a value
    [InlineData("permessage-deflate; client_max_window_bits=7")] // below 8
    [InlineData("permessage-deflate; client_max_window_bits=016")]
    [InlineData("permessage-deflate; server_no_context_takeover=1")] // takes no value
    [InlineData("permessage-deflate; client_no_context_takeover; client_no_context_takeover")] // repeated
    [InlineData("permessage-deflate; mystery")] // unknown parameter
    [InlineData("permessage-deflate; client_max_window_bits=\"15")] // unterminated quote: malformed, all declined
    [InlineData("permessage-deflate;; client_max_window_bits")] // malformed
    [InlineData("permessage-deflate; =15")] // malformed
    public void Offers_the_server_cannot_honour_or_malformed_headers_are_declined(string? offer) =>
        Assert.Null(DeflateNegotiation.Answer(offer, On));

    [Fact]
    public void With_compression_off_every_offer_is_declined() =>
        Assert.Null(DeflateNegotiation.Answer("permessage-deflate", CompressionSettings.Off));

    [Fact]
    public void The_parser_reads_several_offers_with_their_parameters_in_order()
    {
        var offers = ExtensionOffer.ParseAll("foo; a=1; b=\"x\\\"y\", permessage-deflate ;c")!;
        Assert.Equal(2, offers.Count);
        Assert.Equal(["foo", "permessage-deflate"], offers.Select(offer => offer.Name));
        Assert.Equal([("a", "1"), ("b", "x\"y")], offers[0].Parameters);
        Assert.Equal([("c", null)], offers[1].Parameters);
    }
}

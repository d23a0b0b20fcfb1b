using AkkaHibernation.Actors.Rooms;
using AkkaHibernation.Transport.Framing;
using Xunit;

namespace AkkaHibernation.Tests.Transport;

/// <summary>The body of the peer's close frame (RFC 6455 §5.5.1, §7.4.1), apart from a socket.</summary>
public sealed class ClosePayloadSpecs
{
    [Fact]
    public void An_empty_close_has_no_status_code() => Assert.Null(ClosePayload.Parse([]));

    [Fact]
    public void A_close_carries_its_code_and_utf8_reason() =>
        Assert.Equal((4000, "bye ✓"), ClosePayload.Parse([0x0F, 0xA0, .. "bye ✓"u8]));

    [Theory]
    [InlineData(new byte[] { 0x03 }, CloseCodes.ProtocolError, "1 byte")]
    [InlineData(new byte[] { 0x03, 0xED }, CloseCodes.ProtocolError, "Close code 1005 is not a valid code to receive")]
    [InlineData(new byte[] { 0x03, 0xE8, 0xC3, 0x28 }, CloseCodes.InvalidPayload, "Close reason is not valid UTF-8")]
    public void A_close_body_no_peer_may_send_fails_the_connection_with_why(byte[] payload, int code, string why)
    {
        var violation = Assert.Throws<ProtocolViolation>(() => ClosePayload.Parse(payload));

        Assert.Equal(code, violation.Code);
        Assert.Contains(why, violation.Reason);
    }
}

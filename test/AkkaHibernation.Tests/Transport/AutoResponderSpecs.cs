using AkkaHibernation.Actors.Rooms;
using AkkaHibernation.Transport.Sockets;
using Xunit;

namespace AkkaHibernation.Tests.Transport;

/// <summary>A socket's auto-response, apart from the socket: exact match only, the reply made once, the time kept.</summary>
public sealed class AutoResponderSpecs
{
    [Fact]
    public void The_auto_responder_answers_only_its_request_and_keeps_the_time_of_its_last_answer()
    {
        var responder = new AutoResponder();
        Assert.False(responder.TryAnswer("ping", out _));

        responder.Set(new AutoResponsePair("ping", "pong"));

        Assert.False(responder.TryAnswer("Ping", out _));
        Assert.Null(responder.LastAnsweredAt);
        Assert.True(responder.TryAnswer("ping", out var reply));
        Assert.Equal("pong"u8.ToArray(), reply.Payload.ToArray());
        Assert.InRange(responder.LastAnsweredAt!.Value, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow);
        responder.Set(null);
        Assert.False(responder.TryAnswer("ping", out _));
    }
}

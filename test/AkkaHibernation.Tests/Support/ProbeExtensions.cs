using Akka.TestKit;

namespace AkkaHibernation.Tests.Support;

/// <summary>Reading what a room sent through recording channels.</summary>
public static class ProbeExtensions
{
    /// <summary>The text of the next frame sent; other channel calls (e.g. an auto-response pushed to every socket) are skipped.</summary>
    public static string NextSentText(this TestProbe channels, TimeSpan timeout) =>
        ((ChannelCall.Sent)channels.FishForMessage(call => call is ChannelCall.Sent, timeout)).Text;
}

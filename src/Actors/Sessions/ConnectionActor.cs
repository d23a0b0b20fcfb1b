using Akka.Actor;
using AkkaHibernation.Actors.Rooms;

namespace AkkaHibernation.Actors.Sessions;

/// <summary>
/// The room's child for one live session: it delivers the room's frames and closes to the transport channel in
/// the order the room issued them. It stops with the room; the socket it speaks to does not.
/// </summary>
public sealed class ConnectionActor : ReceiveActor
{
    /// <summary>Send one data frame to the client.</summary>
    public sealed record Deliver(OutboundFrame Frame);

    /// <summary>Close the client's socket with a code and reason.</summary>
    public sealed record Close(int Code, string Reason);

    /// <summary>Tell the channel the room's auto-response pair.</summary>
    public sealed record UseAutoResponse(AutoResponsePair? Pair);

    /// <summary>The room has handled the close of this session: let the transport forget the socket, then stop.</summary>
    public sealed record Release
    {
        /// <summary>The one instance.</summary>
        public static Release Instance { get; } = new();
    }

    /// <summary>Props for the child that speaks to <paramref name="channel"/>.</summary>
    public static Props Props(IClientChannel channel) => Akka.Actor.Props.Create(() => new ConnectionActor(channel));

    /// <summary>Made by Akka from <see cref="Props"/>; public because Akka's activator needs it.</summary>
    public ConnectionActor(IClientChannel channel)
    {
        Receive<Deliver>(d => channel.Send(d.Frame));
        Receive<Close>(c => channel.Close(c.Code, c.Reason));
        Receive<UseAutoResponse>(u => channel.SetAutoResponse(u.Pair));
        Receive<Release>(_ =>
        {
            channel.Release();
            Context.Stop(Self);
        });
    }
}

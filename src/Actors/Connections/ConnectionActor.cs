using Akka.Actor;
using Akka.Event;
using AkkaHibernation.Actors.Rooms;
using AkkaHibernation.Actors.Sessions;
using static AkkaHibernation.Actors.Connections.ConnectionProtocol;

namespace AkkaHibernation.Actors.Connections;

/// <summary>
/// One live session of a room in the actor system, a child of its <see cref="RoomActor"/> named by the connection id.
/// It carries the room's commands out on the socket in the order the room issued them (frames, the close handshake from
/// the room's side, the auto-response pair, acknowledgements) and lets the transport forget the socket on
/// <see cref="ChannelCommand.Release"/>, after which it stops. In cluster mode it puts the socket's numbered messages
/// back in send order (<see cref="InboundSequence"/>) before the room handles them. It lives as long as its room's
/// incarnation: a hibernating room retires it, while the socket stays open in the transport, and the next incarnation
/// makes a new one.
/// </summary>
internal sealed class ConnectionActor : UntypedActor
{
    // A room makes thousands of these: a switch, not ReceiveActor's per-instance handler table, and the cluster-only
    // parts (the sequence, the logger) made on first use.
    private readonly IClientChannel _channel;
    private InboundSequence? _sequence;

    /// <summary>Props for the connection on <paramref name="channel"/>.</summary>
    public static Props Props(IClientChannel channel) => ConstructorProducer<ConnectionActor>.Props(() => new ConnectionActor(channel));

    private ConnectionActor(IClientChannel channel) => _channel = channel;

    /// <inheritdoc />
    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case ChannelCommand command:
                Carry(command);
                break;
            case Commands commands:
                foreach (var command in commands.InOrder)
                    Carry(command);
                break;
            case RoomProtocol.Inbound inbound:
                Order(inbound);
                break;
            case Closing closing:
                Sender.Tell(new Ended(_channel.ConnectionId, _sequence?.ReleaseHeld() ?? [], closing.Code, closing.Reason, closing.WasClean));
                break;
            case Retire:
                Context.Stop(Self);
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void Carry(ChannelCommand command)
    {
        command.ApplyTo(_channel);
        if (command is ChannelCommand.Release)
            Context.Stop(Self); // the room is done with the session; nothing is sent to it after this
    }

    private void Order(RoomProtocol.Inbound inbound)
    {
        var sequence = _sequence ??= new InboundSequence();
        var ready = sequence.Accept(inbound.Seq, inbound.AckedUpTo, inbound.Message);
        var held = ready.Count == 0 && sequence.IsHeld(inbound.Seq);
        if (held)
            Context.GetLogger().Debug("Connection {ConnectionId}: message {Seq} overtook an earlier one; holding it (handled up to {Contiguous})",
                inbound.ConnectionId, inbound.Seq, sequence.Contiguous);
        else if (ready.Count == 0)
            Context.GetLogger().Debug("Connection {ConnectionId}: message {Seq} was sent again; already handled", inbound.ConnectionId, inbound.Seq);
        Sender.Tell(new InOrder(inbound.ConnectionId, ready, held ? null : sequence.Contiguous));
    }
}

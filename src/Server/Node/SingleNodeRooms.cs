using Akka.Actor;
using AkkaHibernation.Actors.Behaviours;
using AkkaHibernation.Actors.Hibernation;
using AkkaHibernation.Actors.Sessions;
using static AkkaHibernation.Actors.Hibernation.HibernationProtocol;

namespace AkkaHibernation.Server.Node;

/// <summary>One node: every room is a child of the node's <see cref="HibernationManager"/> (<c>/user/rooms</c>).</summary>
public sealed class SingleNodeRooms : NodeRooms
{
    private SingleNodeRooms(IActorRef manager) => Envelopes = manager;

    /// <inheritdoc />
    public override IActorRef Envelopes { get; }

    /// <summary>Starts the manager over the node's sockets.</summary>
    public static SingleNodeRooms Start(
        ActorSystem system, HibernationSettings settings, RoomTypes types, IClientChannelRegistry sockets, HibernationCounters counters) =>
        new(system.ActorOf(HibernationManager.Props(settings, types, sockets, counters), "rooms"));

    /// <inheritdoc />
    public override async Task<bool> StopAsync(TimeSpan timeout)
    {
        try
        {
            await Envelopes.Ask<AllHibernated>(HibernateAll.Instance, timeout);
            return true;
        }
        catch (AskTimeoutException)
        {
            return false;
        }
    }
}

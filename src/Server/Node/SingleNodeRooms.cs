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

    /// <summary>
    /// Starts the manager over the node's sockets; <paramref name="held"/>, it runs no room until <see cref="Release"/>
    /// (a node taking over another's sockets registers them all first).
    /// </summary>
    public static SingleNodeRooms Start(
        ActorSystem system, HibernationSettings settings, RoomTypes types, IClientChannelRegistry sockets, HibernationCounters counters,
        bool held = false) =>
        new(system.ActorOf(HibernationManager.Props(settings, types, sockets, counters, held), "rooms"));

    /// <summary>Hibernates every room and starts none until <see cref="Release"/>; false if rooms were still in memory after <paramref name="timeout"/>.</summary>
    public async Task<bool> HoldAsync(TimeSpan timeout)
    {
        try
        {
            await Envelopes.Ask<RoomsHeld>(HoldRooms.Instance, timeout);
            return true;
        }
        catch (AskTimeoutException)
        {
            return false;
        }
    }

    /// <summary>Rooms run again; what arrived while they were held is routed first, in order.</summary>
    public void Release() => Envelopes.Tell(ReleaseRooms.Instance);

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

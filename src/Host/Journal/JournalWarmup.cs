using Akka;
using Akka.Actor;
using Akka.Persistence;

namespace AkkaHibernation.Host.Journal;

/// <summary>
/// Recovers a persistence id that is never written, so the plugin's first (about one second) start-up cost is
/// paid when the node starts, not by the first room that wakes.
/// </summary>
public static class JournalWarmup
{
    /// <summary>Runs the warm-up and waits for it.</summary>
    public static async Task RunAsync(ActorSystem system, TimeSpan timeout)
    {
        var warmup = system.ActorOf(Props.Create(() => new WarmupActor()), "journal-warmup");
        try
        {
            await warmup.Ask<Done>(WarmupActor.Ready.Instance, timeout);
        }
        finally
        {
            system.Stop(warmup);
        }
    }

    private sealed class WarmupActor : ReceivePersistentActor
    {
        public sealed record Ready
        {
            public static Ready Instance { get; } = new();
        }

        public WarmupActor() => Command<Ready>(_ => Sender.Tell(Done.Instance));

        public override string PersistenceId => "akka-hibernation-warmup";
    }
}

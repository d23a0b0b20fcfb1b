using Akka.Actor;
using Akka.Persistence;

namespace AkkaHibernation.Server.Journal;

/// <summary>
/// Recovers a persistence id that is never written, so the plugin's first (about one second) start-up cost is
/// paid when the node starts, not by the first room that wakes. It is also the node's first contact with the
/// journal, so a store that cannot be used stops the start here, with the store's own words.
/// </summary>
public static class JournalWarmup
{
    /// <summary>
    /// Runs the warm-up and waits for it; throws <see cref="JournalUnavailableException"/> naming
    /// <paramref name="journal"/> when it cannot be reached or does not recover within <paramref name="timeout"/>.
    /// </summary>
    public static async Task RunAsync(ActorSystem system, JournalStore journal, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        IActorRef? warmup = null;
        try
        {
            // The plugins retry a failed start in the background and only log it: without this check a wrong
            // address or login would show as a wait for the whole timeout.
            await journal.CheckReachableAsync(deadline.Token);
            var recovered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            warmup = system.ActorOf(Props.Create(() => new WarmupActor(recovered)), "journal-warmup");
            await recovered.Task.WaitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new JournalUnavailableException($"The journal ({journal.Description}) did not answer within {timeout.TotalSeconds:0} s");
        }
        catch (Exception error)
        {
            throw new JournalUnavailableException($"The journal ({journal.Description}) cannot be used: {Describe(error)}", error);
        }
        finally
        {
            if (warmup is not null)
                system.Stop(warmup);
        }
    }

    /// <summary>"Failed to connect to 127.0.0.1:5432 (Connection refused)": the driver's words with the root cause.</summary>
    private static string Describe(Exception error) =>
        error.GetBaseException() is var root && root != error ? $"{error.Message} ({root.Message})" : error.Message;

    private sealed class WarmupActor : ReceivePersistentActor
    {
        private readonly TaskCompletionSource _recovered;

        public WarmupActor(TaskCompletionSource recovered)
        {
            _recovered = recovered;
            Recover<RecoveryCompleted>(_ => _recovered.TrySetResult());
        }

        public override string PersistenceId => "akka-hibernation-warmup";

        // Without this the failure would only be logged and the start would wait out the whole timeout.
        protected override void OnRecoveryFailure(Exception reason, object? message = null)
        {
            _recovered.TrySetException(reason);
            base.OnRecoveryFailure(reason, message);
        }
    }
}

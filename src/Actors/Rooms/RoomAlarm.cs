using Akka.Actor;
using Akka.Event;
using AkkaHibernation.Actors.Behaviours;
using AkkaHibernation.Actors.Hibernation;
using AkkaHibernation.Ids;
using static AkkaHibernation.Actors.Hibernation.HibernationProtocol;

namespace AkkaHibernation.Actors.Rooms;

/// <summary>
/// A resident room's alarm: a timer kept in step with the alarm in its state, the host told of every change (it wakes
/// a sleeping room for its alarm, and a restart must not lose it), and the firing: delivered at least once, undone and
/// retried after a doubling backoff when <see cref="IRoomBehaviour.OnAlarm"/> fails, dropped (and logged) after the
/// configured retries.
/// </summary>
internal sealed class RoomAlarm(RoomKey room, HibernationSettings settings, RoomRuntime runtime, HandlerRunner handlers, ILoggingAdapter log)
{
    private const string TimerKey = "alarm";

    /// <summary>The room's alarm timer fired.</summary>
    public sealed record Due
    {
        public static Due Instance { get; } = new();
    }

    private DateTimeOffset? _armed;
    private int _retries;

    /// <summary>Keeps the timer (and the host, through <paramref name="observer"/>) in step with the alarm in the state.</summary>
    public void Arm(ITimerScheduler timers, IActorRef observer)
    {
        var at = runtime.State.Alarm;
        if (at == _armed)
            return;
        _armed = at;
        if (at is { } due)
        {
            var delay = due - DateTimeOffset.UtcNow;
            timers.StartSingleTimer(TimerKey, Due.Instance, delay > TimeSpan.Zero ? delay : TimeSpan.Zero);
        }
        else
        {
            timers.Cancel(TimerKey);
        }
        observer.Tell(new AlarmScheduled(room, at));
    }

    /// <summary>
    /// The timer fired: runs <see cref="IRoomBehaviour.OnAlarm"/> if the alarm is due (deleting it first, so the handler
    /// may set the next one). True when the turn has something to commit; false when the alarm was not due, or failed
    /// and waits for its retry.
    /// </summary>
    public bool Fire(IRoomBehaviour behaviour, ITimerScheduler timers, IActorRef observer)
    {
        if (runtime.State.Alarm is not { } due)
            return false;
        if (due > DateTimeOffset.UtcNow)
        {
            _armed = null;
            Arm(timers, observer);
            return false;
        }

        runtime.Mark();
        runtime.AlarmFired();
        try
        {
            handlers.Timed(nameof(IRoomBehaviour.OnAlarm), () => behaviour.OnAlarm(new AlarmInvocation(due, _retries)));
            _retries = 0;
        }
        catch (Exception error)
        {
            runtime.RollbackToMark();
            _retries++;
            if (_retries <= settings.AlarmMaxRetries)
            {
                var backoff = settings.AlarmBackoff * Math.Pow(2, _retries - 1);
                log.Warning(error, "Room {Room}: alarm due {Due:o} failed (attempt {Attempt}); retrying in {Backoff}", room, due, _retries, backoff);
                timers.StartSingleTimer(TimerKey, Due.Instance, backoff);
                // Should the room sleep before the retry, its host wakes it for it.
                observer.Tell(new AlarmScheduled(room, DateTimeOffset.UtcNow + backoff));
                return false;
            }
            log.Error(error, "Room {Room}: alarm due {Due:o} failed {Attempts} times; dropping it", room, due, _retries);
            _retries = 0;
            runtime.Mark();
            runtime.AlarmFired();
        }
        return true;
    }
}

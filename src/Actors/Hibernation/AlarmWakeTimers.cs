using Akka.Actor;
using AkkaHibernation.Ids;

namespace AkkaHibernation.Actors.Hibernation;

/// <summary>
/// Timers that wake sleeping rooms when their alarm is due, one per room, for an actor that then sends the room a
/// <see cref="Rooms.RoomProtocol.Wake"/> (a resident room's own timer fires its alarm; a sleeping one needs waking).
/// </summary>
internal sealed class AlarmWakeTimers(ITimerScheduler timers)
{
    /// <summary>The timer message: <paramref name="Room"/>'s alarm is due.</summary>
    public sealed record Due(RoomKey Room);

    /// <summary>Wakes <paramref name="room"/> at <paramref name="at"/> (at once if past); null cancels its wake.</summary>
    public void Schedule(RoomKey room, DateTimeOffset? at)
    {
        var key = "alarm:" + room.Value;
        if (at is not { } due)
        {
            timers.Cancel(key);
            return;
        }
        var delay = due - DateTimeOffset.UtcNow;
        timers.StartSingleTimer(key, new Due(room), delay > TimeSpan.Zero ? delay : TimeSpan.Zero);
    }
}

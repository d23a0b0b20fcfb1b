using System.Diagnostics;
using Akka.Event;
using AkkaHibernation.Actors.Behaviours;
using AkkaHibernation.Ids;

namespace AkkaHibernation.Actors.Rooms;

/// <summary>
/// Runs the room behaviour's handlers, one at a time, each between an undo mark and the handler timeout. A handler that
/// throws, or overruns the timeout, is undone as a whole (state, events, frames, accepted sockets), the behaviour's
/// <see cref="IRoomBehaviour.OnError"/> runs, and the handler's socket is closed with 1011. Needs no actor, so its rules
/// are tested on a bare <see cref="RoomRuntime"/>.
/// </summary>
internal sealed class HandlerRunner(RoomKey room, RoomRuntime runtime, TimeSpan timeout, ILoggingAdapter log)
{
    /// <summary>Runs <paramref name="handler"/> for <paramref name="socket"/>; if it fails, undoes it and closes the socket with 1011.</summary>
    public void Run(IRoomBehaviour behaviour, RoomWebSocket socket, string handlerName, Action handler)
    {
        runtime.Mark();
        try
        {
            Timed(handlerName, handler);
        }
        catch (Exception error)
        {
            runtime.RollbackToMark();
            log.Error(error, "Room {Room}: handler failed for connection {ConnectionId}; closing it with 1011", room, socket.ConnectionId);
            try
            {
                Timed(nameof(IRoomBehaviour.OnError), () => behaviour.OnError(socket, error));
            }
            catch (Exception onErrorFailure)
            {
                runtime.RollbackToMark();
                log.Error(onErrorFailure, "Room {Room}: OnError failed for connection {ConnectionId}", room, socket.ConnectionId);
            }
            runtime.Close(socket, CloseCodes.InternalError, "Room handler failed");
        }
    }

    /// <summary>
    /// Runs a handler under the handler timeout. A running handler holds the room's thread and cannot be interrupted,
    /// so one that overran fails when it returns, and its caller undoes its effects as for a throw.
    /// </summary>
    public T Timed<T>(string handlerName, Func<T> handler)
    {
        var started = Stopwatch.GetTimestamp();
        var result = handler();
        var elapsed = Stopwatch.GetElapsedTime(started);
        if (elapsed > timeout)
        {
            throw new TimeoutException(
                $"{handlerName} ran for {elapsed.TotalMilliseconds:F0} ms, over the handler timeout of {timeout.TotalMilliseconds:F0} ms");
        }
        return result;
    }

    /// <inheritdoc cref="Timed{T}"/>
    public void Timed(string handlerName, Action handler) => Timed(handlerName, () =>
    {
        handler();
        return true;
    });
}

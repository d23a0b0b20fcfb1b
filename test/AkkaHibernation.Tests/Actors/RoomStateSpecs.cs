using System.Collections.Immutable;
using System.Text.Json;
using AkkaHibernation.Actors.Rooms;
using Xunit;
using static AkkaHibernation.Actors.Rooms.RoomEvents;

namespace AkkaHibernation.Tests.Actors;

/// <summary>RoomState is a pure fold of room events.</summary>
public sealed class RoomStateSpecs
{
    private static readonly DateTimeOffset At = new(2026, 11, 27, 0, 0, 0, TimeSpan.Zero);

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    [Fact]
    public void Opened_sessions_are_listed_in_acceptance_order()
    {
        var state = RoomState.Empty
            .Apply(new SessionOpened("c", At, []))
            .Apply(new SessionOpened("a", At, ["x"]))
            .Apply(new SessionOpened("b", At, []));

        Assert.Equal(["c", "a", "b"], state.SessionsInOrder().Select(s => s.ConnectionId));
        Assert.Equal(["x"], state.Sessions["a"].Tags.ToArray());
    }

    [Fact]
    public void Attachments_replace_and_closes_remove()
    {
        var state = RoomState.Empty
            .Apply(new SessionOpened("a", At, []))
            .Apply(new AttachmentChanged("a", Json("""{"id":"1"}""")))
            .Apply(new AttachmentChanged("a", Json("""{"id":"2"}""")))
            .Apply(new SessionOpened("b", At, []))
            .Apply(new SessionClosed("b", 1000, "", true));

        Assert.Equal("2", state.Sessions["a"].Attachment!.Value.GetProperty("id").GetString());
        Assert.False(state.Sessions.ContainsKey("b"));
    }

    [Fact]
    public void Events_for_unknown_sessions_leave_the_state_alone()
    {
        var state = RoomState.Empty.Apply(new SessionOpened("a", At, []));

        Assert.Same(state, state.Apply(new AttachmentChanged("ghost", Json("1"))));
        Assert.Equal(state.Sessions, state.Apply(new SessionClosed("ghost", 1006, "", false)).Sessions);
    }

    [Fact]
    public void The_auto_response_is_set_and_cleared()
    {
        var pair = new AutoResponsePair("ping", "pong");
        var set = RoomState.Empty.Apply(new AutoResponseChanged(pair));

        Assert.Equal(pair, set.AutoResponse);
        Assert.Null(set.Apply(new AutoResponseChanged(null)).AutoResponse);
    }

    [Fact]
    public void A_snapshot_round_trip_keeps_sessions_order_and_settings()
    {
        var state = RoomState.Empty
            .Apply(new SessionOpened("b", At, ImmutableArray.Create("t")))
            .Apply(new SessionOpened("a", At, []))
            .Apply(new AttachmentChanged("b", Json("""{"id":"x"}""")))
            .Apply(new AutoResponseChanged(new AutoResponsePair("ping", "pong")))
            .Apply(new SessionClosed("a", 1000, "", true))
            .Apply(new SessionOpened("c", At, []));

        var restored = RoomState.FromSnapshot(state.ToSnapshot());

        Assert.Equal(["b", "c"], restored.SessionsInOrder().Select(s => s.ConnectionId));
        Assert.Equal(state.NextOrdinal, restored.NextOrdinal);
        Assert.Equal(state.AutoResponse, restored.AutoResponse);
        Assert.Equal("x", restored.Sessions["b"].Attachment!.Value.GetProperty("id").GetString());
        Assert.Equal(["t"], restored.Sessions["b"].Tags.ToArray());
        // A session opened after the restore still sorts last.
        Assert.Equal("d", restored.Apply(new SessionOpened("d", At, [])).SessionsInOrder().Last().ConnectionId);
    }
}

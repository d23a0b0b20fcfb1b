using System.Collections.Immutable;
using System.Text.Json;
using AkkaHibernation.Actors.Rooms;
using AkkaHibernation.Ids;
using Xunit;
using static AkkaHibernation.Actors.Rooms.RoomEvents;
using static AkkaHibernation.Tests.Support.TestIds;

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
            .Apply(new SessionOpened(Id("c"), At, []))
            .Apply(new SessionOpened(Id("a"), At, ["x"]))
            .Apply(new SessionOpened(Id("b"), At, []));

        Assert.Equal(["c", "a", "b"], state.SessionsInOrder().Select(s => s.ConnectionId.Value));
        Assert.Equal(["x"], state.Sessions[Id("a")].Tags.ToArray());
    }

    [Fact]
    public void Attachments_replace_and_closes_remove()
    {
        var state = RoomState.Empty
            .Apply(new SessionOpened(Id("a"), At, []))
            .Apply(new AttachmentChanged(Id("a"), Json("""{"id":"1"}""")))
            .Apply(new AttachmentChanged(Id("a"), Json("""{"id":"2"}""")))
            .Apply(new SessionOpened(Id("b"), At, []))
            .Apply(new SessionClosed(Id("b"), 1000, "", true));

        Assert.Equal("2", state.Sessions[Id("a")].Attachment!.Value.GetProperty("id").GetString());
        Assert.False(state.Sessions.ContainsKey(Id("b")));
    }

    [Fact]
    public void Events_for_unknown_sessions_leave_the_state_alone()
    {
        var state = RoomState.Empty.Apply(new SessionOpened(Id("a"), At, []));

        Assert.Same(state, state.Apply(new AttachmentChanged(Id("ghost"), Json("1"))));
        Assert.Equal(state.Sessions, state.Apply(new SessionClosed(Id("ghost"), 1006, "", false)).Sessions);
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
            .Apply(new SessionOpened(Id("b"), At, ImmutableArray.Create("t")))
            .Apply(new SessionOpened(Id("a"), At, []))
            .Apply(new AttachmentChanged(Id("b"), Json("""{"id":"x"}""")))
            .Apply(new AutoResponseChanged(new AutoResponsePair("ping", "pong")))
            .Apply(new SessionClosed(Id("a"), 1000, "", true))
            .Apply(new SessionOpened(Id("c"), At, []));

        var restored = RoomState.FromSnapshot(state.ToSnapshot());

        Assert.Equal(["b", "c"], restored.SessionsInOrder().Select(s => s.ConnectionId.Value));
        Assert.Equal(state.NextOrdinal, restored.NextOrdinal);
        Assert.Equal(state.AutoResponse, restored.AutoResponse);
        Assert.Equal("x", restored.Sessions[Id("b")].Attachment!.Value.GetProperty("id").GetString());
        Assert.Equal(["t"], restored.Sessions[Id("b")].Tags.ToArray());
        // A session opened after the restore still sorts last.
        Assert.Equal(Id("d"), restored.Apply(new SessionOpened(Id("d"), At, [])).SessionsInOrder().Last().ConnectionId);
    }
}

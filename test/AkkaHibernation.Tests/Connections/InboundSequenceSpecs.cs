using AkkaHibernation.Actors.Behaviours;
using AkkaHibernation.Actors.Connections;
using CsCheck;
using Xunit;

namespace AkkaHibernation.Tests.Connections;

/// <summary>
/// A room handles each numbered message of a socket once and in send order, whatever order, copies and losses the
/// network and a failover produce.
/// </summary>
public sealed class InboundSequenceSpecs
{
    /// <summary>
    /// Messages 1..n, the first k already confirmed. Each is sent once; some copies are lost (dropped) and others sent
    /// again (duplicated); a lost one is sent again later, as the socket's node redelivers what stays unconfirmed. The
    /// copies arrive in any order.
    /// </summary>
    private static readonly Gen<(int Confirmed, long[] Arrivals)> Arrivals =
        from n in Gen.Int[1, 40]
        from confirmed in Gen.Int[0, n]
        from dropped in Gen.Int[1, n].Array[0, 10]
        from duplicated in Gen.Int[1, n].Array[0, 20]
        from order in Gen.Shuffle(Enumerable.Range(1, n).Select(i => (long)i).Concat(duplicated.Select(i => (long)i)).ToArray())
        select (confirmed, Drop(order, dropped));

    /// <summary>Removes the first arrival of each dropped message and appends its redelivery at the end.</summary>
    private static long[] Drop(long[] arrivals, int[] dropped)
    {
        var result = arrivals.ToList();
        foreach (var seq in dropped.Distinct())
        {
            result.Remove(seq);
            result.Add(seq);
        }
        return result.ToArray();
    }

    private static RoomMessage Message(long seq) => RoomMessage.FromText(seq.ToString());

    [Fact]
    public void Every_message_not_yet_confirmed_is_handed_over_once_and_in_send_order() =>
        Arrivals.Sample(delivery =>
        {
            var sequence = new InboundSequence();
            var handed = new List<long>();
            var maxHeld = 0;
            foreach (var seq in delivery.Arrivals)
            {
                handed.AddRange(sequence.Accept(seq, delivery.Confirmed, Message(seq)).Select(message => long.Parse(message.Text!)));
                maxHeld = Math.Max(maxHeld, sequence.HeldCount);
            }

            var last = delivery.Arrivals.Max();
            Assert.Equal(Enumerable.Range(delivery.Confirmed + 1, (int)last - delivery.Confirmed).Select(i => (long)i), handed);
            Assert.Equal(last, sequence.Contiguous);
            Assert.Equal(0, sequence.HeldCount);
            Assert.True(maxHeld < last, $"held {maxHeld} of {last}");
        }, iter: 1000);

    [Fact]
    public void A_message_that_overtakes_an_earlier_one_waits_for_it()
    {
        var sequence = new InboundSequence();

        Assert.Equal(["1"], sequence.Accept(1, 0, Message(1)).Select(m => m.Text));
        Assert.Empty(sequence.Accept(3, 0, Message(3)));
        Assert.True(sequence.IsHeld(3));
        Assert.Empty(sequence.Accept(3, 1, Message(3))); // a copy of a held one
        Assert.Equal(["2", "3"], sequence.Accept(2, 1, Message(2)).Select(m => m.Text));
        Assert.Empty(sequence.Accept(2, 1, Message(2))); // a copy of a handled one

        Assert.Equal(3, sequence.Contiguous);
    }

    [Fact]
    public void When_the_socket_closes_held_messages_are_released_in_order()
    {
        var sequence = new InboundSequence();
        sequence.Accept(5, 0, Message(5));
        sequence.Accept(3, 0, Message(3));

        Assert.Equal(["3", "5"], sequence.ReleaseHeld().Select(m => m.Text));
        Assert.Equal(0, sequence.HeldCount);
        Assert.Empty(sequence.Accept(4, 0, Message(4)));
    }

    [Fact]
    public void A_new_incarnation_starts_from_what_the_node_knew_was_confirmed()
    {
        var sequence = new InboundSequence();

        Assert.Empty(sequence.Accept(9, 7, Message(9))); // 8 is still on its way
        Assert.Equal(["8", "9"], sequence.Accept(8, 7, Message(8)).Select(m => m.Text));
    }
}

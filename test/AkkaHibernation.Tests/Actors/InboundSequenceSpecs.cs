using AkkaHibernation.Actors.Rooms;
using CsCheck;
using Xunit;

namespace AkkaHibernation.Tests.Actors;

/// <summary>A room handles each numbered message of a socket once, whatever order copies arrive in.</summary>
public sealed class InboundSequenceSpecs
{
    /// <summary>Messages 1..n, each delivered at least once, some again, in any order; the first k already confirmed.</summary>
    private static readonly Gen<(int Confirmed, long[] Deliveries)> Deliveries =
        from n in Gen.Int[1, 40]
        from confirmed in Gen.Int[0, n]
        from copies in Gen.Int[1, n].Array[0, 20]
        from order in Gen.Shuffle(Enumerable.Range(1, n).Select(i => (long)i).Concat(copies.Select(i => (long)i)).ToArray())
        select (confirmed, order);

    [Fact]
    public void Every_message_not_yet_confirmed_is_accepted_exactly_once_and_the_watermark_reaches_the_last() =>
        Deliveries.Sample(delivery =>
        {
            var sequence = new InboundSequence();
            var accepted = delivery.Deliveries.Where(seq => sequence.TryAccept(seq, delivery.Confirmed)).ToList();

            var expected = delivery.Deliveries.Distinct().Where(seq => seq > delivery.Confirmed).Order();
            Assert.Equal(expected, accepted.Order());
            Assert.Equal(delivery.Deliveries.Max(), Math.Max(sequence.Contiguous, delivery.Confirmed));
        }, iter: 500);

    [Fact]
    public void In_order_messages_keep_no_set_and_move_the_watermark_one_by_one()
    {
        var sequence = new InboundSequence();

        Assert.True(sequence.TryAccept(1, 0));
        Assert.True(sequence.TryAccept(2, 0));
        Assert.False(sequence.TryAccept(2, 1));

        Assert.Equal(2, sequence.Contiguous);
    }
}

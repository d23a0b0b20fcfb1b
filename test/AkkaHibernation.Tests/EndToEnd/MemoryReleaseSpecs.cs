using AkkaHibernation.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace AkkaHibernation.Tests.EndToEnd;

/// <summary>
/// The host gives memory back once a wave of hibernations has settled. (That RSS then falls is measured in bench/,
/// idle scenario, not asserted here.)
/// </summary>
public sealed class MemoryReleaseSpecs(ITestOutputHelper output) : NodeSpec(output, "200ms",
    "akka-hibernation.host.memory-release { check-interval = 100ms, min-interval = 0s }")
{
    [Fact]
    public async Task Memory_is_released_once_the_hibernated_room_has_settled()
    {
        Assert.Equal(0, Node.Node.MemoryReleases); // a fresh node has had no hibernation to release after
        var client = await Connect("/rooms/one");
        await Seed.IdentifyAsync(client);

        await Eventually.TrueAsync(() => Node.Node.MemoryReleases == 1, "memory released after the room hibernated");
        Assert.Equal(1, Node.Node.RoomCounters.Hibernations);
    }
}

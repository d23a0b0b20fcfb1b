using AkkaHibernation.Server.Node;
using Xunit;

namespace AkkaHibernation.Tests.Server;

/// <summary>The memory release's second step: the C heap's free pages go back where the C library can give them.</summary>
public sealed class NativeHeapSpecs
{
    [Fact]
    public void The_C_heap_is_trimmed_where_the_process_runs_on_glibc_and_left_alone_elsewhere()
    {
        // glibc is mapped into the process as libc.so.6; musl (ld-musl-*.so.1) has no malloc_trim.
        var glibc = OperatingSystem.IsLinux() && File.ReadAllText("/proc/self/maps").Contains("/libc.so.6", StringComparison.Ordinal);

        Assert.Equal(glibc, NativeHeap.Trim());
        Assert.Equal(glibc, NativeHeap.Trim()); // and again: the first answer is not a one-off
    }
}

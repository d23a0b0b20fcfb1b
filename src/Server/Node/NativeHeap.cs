using System.Runtime.InteropServices;

namespace AkkaHibernation.Server.Node;

/// <summary>
/// The C library's heap, which native code in the process allocates from (SQLite's page cache and statements, the
/// runtime's own structures). glibc keeps freed blocks in its arenas, so after a burst of native allocations (a
/// connect storm writes thousands of journal rows) the pages stay resident; <c>malloc_trim</c> hands the free ones
/// back. Other C libraries (musl) and other systems have no such call: there it does nothing.
/// </summary>
internal static partial class NativeHeap
{
    private static bool _unavailable = !OperatingSystem.IsLinux();

    /// <summary>Returns the heap's free pages to the OS; false where the C library cannot.</summary>
    public static bool Trim()
    {
        if (_unavailable)
            return false;
        try
        {
            MallocTrim(0);
            return true;
        }
        catch (Exception error) when (error is EntryPointNotFoundException or DllNotFoundException)
        {
            _unavailable = true;
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}

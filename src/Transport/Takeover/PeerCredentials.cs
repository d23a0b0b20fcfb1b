using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace AkkaHibernation.Transport.Takeover;

/// <summary>
/// Linux: who is at the other end of a connected Unix domain socket (<c>SO_PEERCRED</c>, unix(7)): the process id, user
/// id and group id the kernel recorded when the peer connected, which the peer cannot forge.
/// </summary>
public readonly partial record struct PeerCredentials(int ProcessId, uint UserId, uint GroupId)
{
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;

    /// <summary>The peer of <paramref name="socket"/>.</summary>
    public static PeerCredentials Of(Socket socket)
    {
        Span<byte> credentials = stackalloc byte[12]; // struct ucred { pid_t pid; uid_t uid; gid_t gid; }
        var length = socket.GetRawSocketOption(SolSocket, SoPeerCred, credentials);
        if (length != credentials.Length)
            throw new SocketException((int)SocketError.InvalidArgument);
        var fields = MemoryMarshal.Cast<byte, int>(credentials);
        return new PeerCredentials(fields[0], (uint)fields[1], (uint)fields[2]);
    }

    /// <summary>This process's effective user id.</summary>
    public static uint CurrentUserId => EffectiveUserId();

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint EffectiveUserId();
}

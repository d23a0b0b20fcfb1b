using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace AkkaHibernation.Transport.Takeover;

/// <summary>
/// Linux: passes open file descriptors to another process over a Unix domain socket, as ancillary data of type
/// <c>SCM_RIGHTS</c> (unix(7)): the receiver gets new descriptors for the same open sockets, so a connection outlives
/// the process that accepted it. Each message carries a payload (at least one byte, which the descriptors ride on) and
/// at most <see cref="MaxPerMessage"/> descriptors. Use a <see cref="SocketType.Seqpacket"/> socket, so each message
/// arrives whole and alone.
/// </summary>
internal static unsafe partial class DescriptorPassing
{
    /// <summary>Descriptors per message: the kernel refuses more than 253 (<c>SCM_MAX_FD</c>).</summary>
    public const int MaxPerMessage = 250;

    private const int SolSocket = 1;
    private const int ScmRights = 1;
    private const int MsgCtrunc = 0x8;
    private const int MsgTrunc = 0x20;
    private const int MsgCmsgCloexec = 0x40000000;
    private const int EAgain = 11;
    private const int EIntr = 4;
    private static readonly int HeaderBytes = Align(sizeof(ControlHeader));

    [StructLayout(LayoutKind.Sequential)]
    private struct IoVector
    {
        public byte* Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MessageHeader
    {
        public void* Name;
        public uint NameLength;
        public IoVector* Vectors;
        public nuint VectorCount;
        public byte* Control;
        public nuint ControlLength;
        public int Flags;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct ControlHeader
    {
        public nuint Length;
        public int Level;
        public int Type;
    }

    /// <summary>Sends <paramref name="payload"/> with <paramref name="descriptors"/>, waiting while the socket's buffer is full.</summary>
    /// <exception cref="ArgumentException">No payload, or more than <see cref="MaxPerMessage"/> descriptors.</exception>
    /// <exception cref="IOException">The kernel refused the message (the peer is gone, say).</exception>
    public static void Send(Socket socket, ReadOnlySpan<byte> payload, ReadOnlySpan<int> descriptors)
    {
        if (payload.IsEmpty)
            throw new ArgumentException("Descriptors travel with at least one byte of payload", nameof(payload));
        if (descriptors.Length > MaxPerMessage)
            throw new ArgumentException($"At most {MaxPerMessage} descriptors per message, got {descriptors.Length}", nameof(descriptors));

        var controlLength = descriptors.IsEmpty ? 0 : HeaderBytes + Align(descriptors.Length * sizeof(int));
        var control = stackalloc byte[Math.Max(controlLength, 1)];
        new Span<byte>(control, Math.Max(controlLength, 1)).Clear();
        if (controlLength > 0)
        {
            var header = (ControlHeader*)control;
            header->Length = (nuint)(HeaderBytes + descriptors.Length * sizeof(int));
            header->Level = SolSocket;
            header->Type = ScmRights;
            descriptors.CopyTo(new Span<int>(control + HeaderBytes, descriptors.Length));
        }

        fixed (byte* data = payload)
        {
            var vector = new IoVector { Base = data, Length = (nuint)payload.Length };
            var message = new MessageHeader
            {
                Vectors = &vector,
                VectorCount = 1,
                Control = controlLength > 0 ? control : null,
                ControlLength = (nuint)controlLength,
            };
            nint sent;
            while ((sent = SendMessage(Descriptor(socket), &message, 0)) < 0)
                WaitOrThrow(socket, SelectMode.SelectWrite);
            if (sent != payload.Length)
                throw new IOException($"sendmsg sent {sent} of {payload.Length} bytes; a seqpacket message goes whole or not at all");
        }
    }

    /// <summary>
    /// Receives one message into <paramref name="buffer"/>: its length (0 when the peer closed) and the descriptors that
    /// came with it, which the caller now owns (they are close-on-exec).
    /// </summary>
    /// <exception cref="IOException">The kernel failed, or the message or its descriptors did not fit.</exception>
    public static (int Length, int[] Descriptors) Receive(Socket socket, Span<byte> buffer)
    {
        var controlLength = HeaderBytes + Align(MaxPerMessage * sizeof(int));
        var control = stackalloc byte[controlLength];
        fixed (byte* data = buffer)
        {
            var vector = new IoVector { Base = data, Length = (nuint)buffer.Length };
            var message = new MessageHeader { Vectors = &vector, VectorCount = 1, Control = control, ControlLength = (nuint)controlLength };
            nint received;
            while ((received = ReceiveMessage(Descriptor(socket), &message, MsgCmsgCloexec)) < 0)
                WaitOrThrow(socket, SelectMode.SelectRead);
            var descriptors = DescriptorsIn(control, (int)message.ControlLength);
            if ((message.Flags & (MsgCtrunc | MsgTrunc)) != 0)
            {
                foreach (var descriptor in descriptors)
                    Close(descriptor);
                throw new IOException($"A message did not fit: {buffer.Length} bytes and {MaxPerMessage} descriptors were offered");
            }
            return ((int)received, descriptors);
        }
    }

    private static int[] DescriptorsIn(byte* control, int length)
    {
        var found = new List<int>();
        for (var offset = 0; offset + HeaderBytes <= length;)
        {
            var header = (ControlHeader*)(control + offset);
            var size = (int)header->Length;
            if (size < HeaderBytes)
                break;
            if (header->Level == SolSocket && header->Type == ScmRights)
                found.AddRange(new ReadOnlySpan<int>(control + offset + HeaderBytes, (size - HeaderBytes) / sizeof(int)).ToArray());
            offset += Align(size);
        }
        return found.ToArray();
    }

    /// <summary>
    /// After a failed call: on a socket .NET made non-blocking, a call that would block waits until the socket is
    /// <paramref name="ready"/> (and is then tried again); an interrupted one is tried again; anything else throws.
    /// </summary>
    private static void WaitOrThrow(Socket socket, SelectMode ready)
    {
        var error = Marshal.GetLastPInvokeError();
        if (error == EAgain)
            socket.Poll(TimeSpan.FromSeconds(1), ready);
        else if (error != EIntr)
            throw new IOException($"{(ready == SelectMode.SelectWrite ? "sendmsg" : "recvmsg")} failed: {Marshal.GetPInvokeErrorMessage(error)} (errno {error})");
    }

    private static int Descriptor(Socket socket) => (int)socket.SafeHandle.DangerousGetHandle();

    private static int Align(int length) => (length + sizeof(nuint) - 1) & ~(sizeof(nuint) - 1);

    [LibraryImport("libc", EntryPoint = "sendmsg", SetLastError = true)]
    private static partial nint SendMessage(int socket, MessageHeader* message, int flags);

    [LibraryImport("libc", EntryPoint = "recvmsg", SetLastError = true)]
    private static partial nint ReceiveMessage(int socket, MessageHeader* message, int flags);

    /// <summary>Closes a descriptor that no <see cref="Socket"/> owns (one received and then refused).</summary>
    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int descriptor);
}

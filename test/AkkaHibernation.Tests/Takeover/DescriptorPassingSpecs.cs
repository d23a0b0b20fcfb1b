using System.Net;
using System.Net.Sockets;
using System.Text;
using AkkaHibernation.Transport.Takeover;
using Xunit;

namespace AkkaHibernation.Tests.Takeover;

/// <summary>
/// Open sockets cross a Unix domain socket as SCM_RIGHTS descriptors: the receiver's copy serves the same TCP
/// connection after the sender's copy is closed, many go in batches, and the peer's credentials are the kernel's.
/// </summary>
public sealed class DescriptorPassingSpecs : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"akkahib-fd-{Guid.NewGuid():N}.sock");
    private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Seqpacket, ProtocolType.Unspecified);

    public DescriptorPassingSpecs()
    {
        _listener.Bind(new UnixDomainSocketEndPoint(_path));
        _listener.Listen();
    }

    public void Dispose()
    {
        _listener.Dispose();
        File.Delete(_path);
    }

    private (Socket Sender, Socket Receiver) Pair()
    {
        var sender = new Socket(AddressFamily.Unix, SocketType.Seqpacket, ProtocolType.Unspecified);
        sender.Connect(new UnixDomainSocketEndPoint(_path));
        return (sender, _listener.Accept());
    }

    private static async Task<(Socket Client, Socket Accepted)> TcpConnectionAsync()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(listener.LocalEndpoint);
        return (client, await listener.AcceptSocketAsync());
    }

    [Fact]
    public async Task A_connected_tcp_socket_passed_over_keeps_serving_its_client_after_the_senders_copy_closes()
    {
        var (sender, receiver) = Pair();
        using (sender)
        using (receiver)
        {
            var (client, accepted) = await TcpConnectionAsync();
            using var _ = client;
            await client.SendAsync("sent before"u8.ToArray());

            DescriptorPassing.Send(sender, "connection 1"u8, [(int)accepted.SafeHandle.DangerousGetHandle()]);
            var buffer = new byte[64];
            var (length, descriptors) = DescriptorPassing.Receive(receiver, buffer);
            accepted.Dispose(); // the old process's copy goes; the connection stays
            using var adopted = new Socket(new SafeSocketHandle(descriptors.Single(), ownsHandle: true));

            Assert.Equal("connection 1", Encoding.UTF8.GetString(buffer, 0, length));
            Assert.Equal("sent before", await ReceiveTextAsync(adopted, "sent before".Length)); // waited in the kernel's buffer
            await adopted.SendAsync("from the new owner"u8.ToArray());
            Assert.Equal("from the new owner", await ReceiveTextAsync(client, "from the new owner".Length));
        }
    }

    [Fact]
    public void Descriptors_beyond_one_message_go_in_batches_each_arriving_whole()
    {
        var (sender, receiver) = Pair();
        using (sender)
        using (receiver)
        {
            using var shared = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            var descriptor = (int)shared.SafeHandle.DangerousGetHandle();
            var all = Enumerable.Repeat(descriptor, 300).ToArray();

            foreach (var batch in all.Chunk(DescriptorPassing.MaxPerMessage))
                DescriptorPassing.Send(sender, [(byte)batch.Length], batch);
            var received = new List<int>();
            var buffer = new byte[8];
            for (var message = 0; message < 2; message++)
            {
                var (length, descriptors) = DescriptorPassing.Receive(receiver, buffer);
                Assert.Equal((1, buffer[0]), (length, (byte)descriptors.Length));
                received.AddRange(descriptors);
            }

            Assert.Equal(300, received.Distinct().Count()); // each a descriptor of its own for the one socket
            Assert.All(received, fd => Assert.Equal(0, DescriptorPassing.Close(fd)));
        }
    }

    [Fact]
    public void More_descriptors_than_a_message_holds_or_no_payload_are_refused_before_the_kernel_is_asked()
    {
        var (sender, receiver) = Pair();
        using (sender)
        using (receiver)
        {
            Assert.Throws<ArgumentException>(() => DescriptorPassing.Send(sender, "x"u8, new int[DescriptorPassing.MaxPerMessage + 1]));
            Assert.Throws<ArgumentException>(() => DescriptorPassing.Send(sender, [], [0]));
        }
    }

    [Fact]
    public void The_peer_of_a_unix_socket_is_known_by_the_kernels_record_of_it()
    {
        var (sender, receiver) = Pair();
        using (sender)
        using (receiver)
        {
            var peer = PeerCredentials.Of(receiver);

            Assert.Equal((Environment.ProcessId, PeerCredentials.CurrentUserId), (peer.ProcessId, peer.UserId));
        }
    }

    private static async Task<string> ReceiveTextAsync(Socket socket, int length)
    {
        var buffer = new byte[length];
        var read = 0;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (read < length)
        {
            var got = await socket.ReceiveAsync(buffer.AsMemory(read), timeout.Token);
            if (got == 0)
                break;
            read += got;
        }
        return Encoding.UTF8.GetString(buffer, 0, read);
    }
}

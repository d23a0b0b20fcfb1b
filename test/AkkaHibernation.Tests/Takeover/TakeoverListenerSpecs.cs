using Akka.Configuration;
using AkkaHibernation.Server.Configuration;
using AkkaHibernation.Server.Journal;
using AkkaHibernation.Server.Node;
using AkkaHibernation.Server.Takeover;
using AkkaHibernation.Transport;
using AkkaHibernation.Transport.Takeover;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace AkkaHibernation.Tests.Takeover;

/// <summary>The control socket of a running server: who may connect, and what another user gets.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class TakeoverListenerSpecs : IAsyncDisposable
{
    private static readonly TakeoverSettings Settings = new(null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), false);

    private readonly string _path = Path.Combine(Path.GetTempPath(), $"akkahib-ctl-{Guid.NewGuid():N}.takeover");
    private readonly UntouchedHost _host = new();
    private TakeoverListener? _listener;

    /// <summary>A node the listener must not touch: any use of it fails the spec.</summary>
    private sealed class UntouchedHost : IHandoverHost
    {
        public int Uses { get; private set; }

        public WebSocketServer Server => Used<WebSocketServer>();

        public SingleNodeRooms Rooms => Used<SingleNodeRooms>();

        public Task StopAdminAsync() => Used<Task>();

        public void StartAdmin() => Used<object>();

        public void ReleaseJournal() => Used<object>();

        public Task<bool> TakeJournalBackAsync(TimeSpan timeout) => Used<Task<bool>>();

        public void HandedOver(int newProcessId) => Used<object>();

        private T Used<T>()
        {
            Uses++;
            throw new InvalidOperationException("The listener used the node");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_listener is not null)
            await _listener.DisposeAsync();
        File.Delete(_path);
    }

    [Fact]
    public void A_control_socket_closed_after_a_successor_took_its_path_leaves_the_successor_listening()
    {
        var old = TakeoverLink.Listen(_path, 1);
        using var successor = TakeoverLink.Listen(_path, 1);

        old.Dispose(); // what the old process does as it stops after a hand-over

        using var link = TakeoverLink.TryConnect(_path);
        Assert.NotNull(link);
    }

    [Fact]
    public async Task A_process_of_another_user_is_refused_and_the_node_is_left_alone()
    {
        var allowed = PeerCredentials.CurrentUserId + 1; // the spec's own process plays the other user
        _listener = TakeoverListener.Start(Settings, _path, _host, allowed, NullLogger.Instance);

        using var link = TakeoverLink.TryConnect(_path) ?? throw new InvalidOperationException("no control socket");
        link.Send(new TakeoverMessage.Hello(Environment.ProcessId));
        var answer = await link.ReceiveAsync(TimeSpan.FromSeconds(10));

        var refused = Assert.IsType<TakeoverMessage.Refused>(answer);
        Assert.Contains($"runs as user {PeerCredentials.CurrentUserId}; only user {allowed} may take this server over", refused.Reason);
        Assert.Equal(0, _host.Uses);
    }

    [Fact]
    public void The_control_socket_is_for_its_owner_only()
    {
        _listener = TakeoverListener.Start(Settings, _path, _host, PeerCredentials.CurrentUserId, NullLogger.Instance);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_path));
    }

    [Fact]
    public void The_longest_control_socket_path_allowed_listens()
    {
        var directory = Path.GetTempPath();
        var longest = Path.Combine(directory, new string('c', TakeoverLink.MaxPathBytes - directory.Length - ".takeover".Length) + ".takeover");
        Assert.Equal(TakeoverLink.MaxPathBytes, longest.Length);
        try
        {
            using var socket = TakeoverLink.Listen(longest, 1);
            using var link = TakeoverLink.TryConnect(longest);
            Assert.NotNull(link);
        }
        finally
        {
            File.Delete(longest);
        }
    }

    [Fact]
    public void A_longer_control_socket_path_is_refused_with_the_limit()
    {
        var tooLong = "/tmp/" + new string('c', TakeoverLink.MaxPathBytes - "/tmp/".Length + 1);
        var hocon = $"{TakeoverSettings.ConfigPath}.control-socket = \"{tooLong}\"";
        var config = HoconLoader.Load(HoconLoader.DefaultDirectory, new HostOverrides(null, null, null, [hocon]).ToConfig());

        var error = Assert.Throws<ConfigurationException>(() => TakeoverSettings.FromConfig(config, JournalStore.FromConfig(config)));

        Assert.Equal($"{TakeoverSettings.ConfigPath}.control-socket: '{tooLong}' is longer than a control socket path may be (98 bytes); set a shorter path",
            error.Message);
    }

    [Fact]
    public void Where_nothing_listens_there_is_no_link()
    {
        Assert.Null(TakeoverLink.TryConnect(_path));
        File.WriteAllText(_path, ""); // a file, but no socket: what a crashed server would not leave, but an operator might
        try
        {
            Assert.Null(TakeoverLink.TryConnect(_path));
        }
        finally
        {
            File.Delete(_path);
        }
    }
}

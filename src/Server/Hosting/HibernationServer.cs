using System.Reflection;
using AkkaHibernation.Server.Node;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AkkaHibernation.Server.Hosting;

/// <summary>
/// A server host: its services and configuration (the generic host's, for the rooms' own dependencies and options),
/// the room types it serves and its static sites, and <see cref="RunAsync"/>, which gives it the server's whole
/// command line (serve by default, <c>journal …</c> for the ops commands). Made by <see cref="CreateBuilder"/>:
/// <code>
/// var server = HibernationServer.CreateBuilder(args);
/// server.AddRoomType&lt;ChatRoom&gt;("chat");
/// return await server.RunAsync();
/// </code>
/// </summary>
public sealed class HibernationServer
{
    private readonly string[] _args;
    private readonly HostApplicationBuilder _host;
    private readonly RoomRegistrations _rooms = new();

    private HibernationServer(string[] args)
    {
        _args = args;
        // The command line is the server's own (ServerCommandLine), so the generic host gets none of it; its content
        // root is the app's folder, where appsettings.json is copied, wherever the process was started from.
        _host = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
        _host.Services.TryAddSingleton(TimeProvider.System);
        _host.Services.AddSingleton(services => _rooms.Build(services));
        _host.Logging.ClearProviders();
        _host.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss.fff ";
        });
    }

    /// <summary>A server that serves the seed's room (the reference Durable Object this server ports) until told otherwise.</summary>
    /// <param name="args">The process's command line, parsed by <see cref="RunAsync"/>.</param>
    public static HibernationServer CreateBuilder(string[] args) => new(args);

    /// <summary>The services room constructors can take, besides their <see cref="IRoomContext"/>.</summary>
    public IServiceCollection Services => _host.Services;

    /// <summary>The generic host's configuration (appsettings.json, environment), to bind the rooms' options from.</summary>
    public IConfigurationManager Configuration => _host.Configuration;

    /// <summary>The generic host's logging, already writing one line per entry to the console.</summary>
    public ILoggingBuilder Logging => _host.Logging;

    /// <summary>
    /// Serves room type <paramref name="name"/> at <c>/parties/{name}/{room}</c>. Each room is a
    /// <typeparamref name="TRoom"/> made through dependency injection: its constructor may take its
    /// <see cref="IRoomContext"/> and any registered service (<c>ILogger&lt;TRoom&gt;</c>, <c>IOptions&lt;T&gt;</c>, …).
    /// </summary>
    /// <exception cref="ArgumentException">The name is invalid, <c>main</c> (the default type's), or registered already.</exception>
    public HibernationServer AddRoomType<TRoom>(string name) where TRoom : class, IRoomBehaviour
    {
        _rooms.Add<TRoom>(name);
        return this;
    }

    /// <summary>Makes <typeparamref name="TRoom"/> the default type, in place of the seed's room: every URL ending in
    /// <c>/websocket</c>, <c>/rooms/{room}</c> and <c>/parties/main/{room}</c>.</summary>
    public HibernationServer UseDefaultRoomType<TRoom>() where TRoom : class, IRoomBehaviour
    {
        _rooms.UseDefault<TRoom>();
        return this;
    }

    /// <summary>
    /// Serves the files embedded in <paramref name="assembly"/> under <paramref name="resourceFolder"/> (logical names
    /// <c>{resourceFolder}/{path}</c>) at <paramref name="prefix"/>, e.g. a room's browser page at <c>/demo/</c>.
    /// </summary>
    public HibernationServer AddStaticSite(string prefix, Assembly assembly, string resourceFolder)
    {
        _rooms.AddSite(prefix, assembly, resourceFolder);
        return this;
    }

    /// <summary>
    /// Runs the command line: without a command, serves until SIGTERM or Ctrl-C; <c>journal rooms|room|events|verify|
    /// compact|backup</c> inspect the journal (compact wakes rooms with this server's room types). Returns the exit code.
    /// </summary>
    public Task<int> RunAsync() => ServerCommandLine.Create(this).Parse(_args).InvokeAsync(new() { ProcessTerminationTimeout = null });

    /// <summary>Builds the generic host with the node in it (which starts when the host runs); once per server.</summary>
    internal IHost Build(Akka.Configuration.Config config)
    {
        _host.Services.AddSingleton(config);
        _host.Services.AddHostedService<NodeHostedService>();
        _host.Services.Configure<HostOptions>(options =>
            options.ShutdownTimeout = config.GetTimeSpan("akka-hibernation.host.shutdown-timeout") + TimeSpan.FromSeconds(2));
        return _host.Build();
    }
}

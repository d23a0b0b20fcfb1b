using System.CommandLine;
using Akka.Configuration;
using AkkaHibernation.Host.Configuration;
using AkkaHibernation.Host.Journal;
using AkkaHibernation.Host.Node;
using AkkaHibernation.Host.Ops;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

var listen = new Option<string?>("--listen")
{
    Description = $"HttpListener prefixes, comma-separated (default http://127.0.0.1:8080/,http://localhost:8080/; env {HostOverrides.ListenVariable})",
};
var database = new Option<string?>("--database")
{
    Description = $"SQLite journal file (default data/journal.db; env {HostOverrides.DatabaseVariable})",
};
var postgres = new Option<string?>("--postgres")
{
    Description = $"Keep the journal in PostgreSQL: an Npgsql connection string (instead of the SQLite file; env {HostOverrides.PostgresVariable})",
};
var idleTimeout = new Option<string?>("--idle-timeout")
{
    Description = $"Idle time before a room hibernates, e.g. 10s or 500ms (default 10s; env {HostOverrides.IdleTimeoutVariable})",
};
var hocon = new Option<string[]>("--hocon")
{
    Description = $"Extra HOCON, e.g. \"akka-hibernation.rooms.snapshot-every = 50\" (repeatable; env {HostOverrides.HoconVariable})",
    AllowMultipleArgumentsPerToken = false,
};
var admin = new Option<string?>("--admin")
{
    Description = $"Admin prefixes for /healthz /readyz /metrics, comma-separated, or off (default http://127.0.0.1:9090/; env {HostOverrides.AdminVariable})",
};
var hoconDirectory = new Option<string?>("--hocon-dir")
{
    Description = "Folder of *.hocon files to load instead of the shipped ones",
};

var root = new RootCommand("AkkaHibernation: named WebSocket rooms that hibernate while their sockets stay open.")
{
    listen, database, postgres, idleTimeout, admin, hocon, hoconDirectory,
};
database.Recursive = true;
postgres.Recursive = true;
hoconDirectory.Recursive = true;
root.Subcommands.Add(JournalCommands.Create(database, postgres, hoconDirectory));
root.SetAction(async (parsed, cancellationToken) =>
{
    Config config;
    try
    {
        var overrides = new HostOverrides(
                parsed.GetValue(listen),
                parsed.GetValue(database),
                parsed.GetValue(idleTimeout),
                parsed.GetValue(hocon) ?? [],
                parsed.GetValue(admin),
                parsed.GetValue(postgres))
            .WithEnvironment(Environment.GetEnvironmentVariable);
        config = HoconLoader.Load(parsed.GetValue(hoconDirectory) ?? HoconLoader.DefaultDirectory, overrides.ToConfig());
    }
    catch (ConfigurationException error)
    {
        await Console.Error.WriteLineAsync($"Configuration error: {error.Message}");
        return ExitCodes.Usage;
    }

    var builder = Host.CreateApplicationBuilder();
    builder.Logging.ClearProviders();
    builder.Logging.AddSimpleConsole(console =>
    {
        console.SingleLine = true;
        console.TimestampFormat = "HH:mm:ss.fff ";
    });
    builder.Services.AddSingleton(config);
    builder.Services.AddHostedService<NodeHostedService>();
    builder.Services.Configure<HostOptions>(options =>
        options.ShutdownTimeout = config.GetTimeSpan("akka-hibernation.host.shutdown-timeout") + TimeSpan.FromSeconds(2));

    try
    {
        await builder.Build().RunAsync(cancellationToken);
        return ExitCodes.Ok;
    }
    catch (Exception error) when (error is System.Net.HttpListenerException or ConfigurationException or JournalUnavailableException)
    {
        await Console.Error.WriteLineAsync($"Cannot start: {error.Message}");
        return ExitCodes.Failed;
    }
});

// The generic host handles SIGTERM/Ctrl-C and stops gracefully; the parser must not cut that short.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });

using System.CommandLine;
using Akka.Configuration;
using AkkaHibernation.Server.Configuration;
using AkkaHibernation.Server.Journal;
using AkkaHibernation.Server.Node;
using AkkaHibernation.Server.Ops;
using AkkaHibernation.Transport.Takeover;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AkkaHibernation.Server.Hosting;

/// <summary>
/// The command line every server built on the library shares: the serve options (each also an environment variable,
/// <see cref="HostOverrides"/>) and the <c>journal</c> commands.
/// </summary>
internal static class ServerCommandLine
{
    /// <summary>The root command of <paramref name="server"/>.</summary>
    public static RootCommand Create(HibernationServer server)
    {
        var listen = new Option<string?>("--listen")
        {
            Description = $"HttpListener prefixes, comma-separated (default http://127.0.0.1:8080/,http://localhost:8080/; env {HostOverrides.ListenVariable})",
        };
        var database = new Option<string?>("--database")
        {
            Description = $"SQLite journal file (default data/journal.db; env {HostOverrides.DatabaseVariable})",
            Recursive = true,
        };
        var postgres = new Option<string?>("--postgres")
        {
            Description = $"Keep the journal in PostgreSQL: an Npgsql connection string (instead of the SQLite file; env {HostOverrides.PostgresVariable})",
            Recursive = true,
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
            Description = "Folder of *.hocon files to load over the shipped ones (default: the hocon folder beside the program, if any)",
            Recursive = true,
        };

        var takeover = new Option<bool>("--takeover")
        {
            Description = "Take over from the server running on this journal: adopt its open WebSockets and rooms, and let it exit (Linux, single node; docs/OPERATIONS.md)",
        };

        var root = new RootCommand("AkkaHibernation: named WebSocket rooms that hibernate while their sockets stay open.")
        {
            listen, database, postgres, idleTimeout, admin, hocon, hoconDirectory, takeover,
        };
        root.Subcommands.Add(JournalCommands.Create(database, postgres, hoconDirectory, server.Configuration,
            config => server.Build(config).Services.GetRequiredService<HostedRooms>().Types));
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
                        parsed.GetValue(postgres),
                        parsed.GetValue(takeover))
                    .WithEnvironment(Environment.GetEnvironmentVariable);
                config = HoconLoader.Load(parsed.GetValue(hoconDirectory), overrides.ToConfig(), server.Configuration);
            }
            catch (ConfigurationException error)
            {
                await Console.Error.WriteLineAsync($"Configuration error: {error.Message}");
                return ExitCodes.Usage;
            }

            try
            {
                await server.Build(config).RunAsync(cancellationToken);
                return ExitCodes.Ok;
            }
            catch (OptionsValidationException error)
            {
                // A room's own options (bound from appsettings.json or the environment) that fail their validation.
                await Console.Error.WriteLineAsync($"Configuration error: {error.Message}");
                return ExitCodes.Usage;
            }
            catch (Exception error) when (error is System.Net.HttpListenerException or ConfigurationException or JournalUnavailableException or PlatformNotSupportedException)
            {
                await Console.Error.WriteLineAsync($"Cannot start: {error.Message}");
                return ExitCodes.Failed;
            }
            catch (TakeoverFailedException error)
            {
                // The running server (if any) serves on as it was.
                await Console.Error.WriteLineAsync($"Cannot take over: {error.Message}");
                return ExitCodes.Failed;
            }
        });
        return root;
    }
}

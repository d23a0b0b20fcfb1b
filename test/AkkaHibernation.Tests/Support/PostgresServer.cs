using System.Net;
using System.Net.Sockets;
using Npgsql;
using Xunit;

namespace AkkaHibernation.Tests.Support;

/// <summary>
/// The PostgreSQL server of the PostgreSQL journal tests, one for the whole run (collection fixture): the server that
/// <c>AKKAHIBERNATION_TEST_POSTGRES</c> names, else a throwaway one that Debian's <c>postgresql</c> package starts in
/// a temporary folder (stopped and deleted at the end), else none, and <see cref="PostgresFactAttribute"/> tests skip.
/// Each test asks for a database of its own.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    /// <summary>The xunit collection of the tests that share the server.</summary>
    public const string Collection = "PostgreSQL";

    /// <summary>A connection string to a server where the tests may CREATE DATABASE.</summary>
    public const string ServerVariable = "AKKAHIBERNATION_TEST_POSTGRES";

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    // Ports from 32768 up are the kernel's ephemeral range, where an outgoing connection can take one at any moment.
    private const int LowestPort = 20000;
    private const int HighestPort = 32767;
    private const int StartAttempts = 5;

    private readonly List<string> _databases = [];
    private string? _adminConnectionString;
    private string? _folder;

    /// <summary>The connection string <see cref="ServerVariable"/> gives, or null.</summary>
    public static string? Configured { get; } =
        Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } configured ? configured : null;

    /// <summary>initdb of the newest PostgreSQL that Debian's package installed, or null.</summary>
    public static string? InitDb { get; } =
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(version => Path.Combine(version, "bin", "initdb"))
                .Where(File.Exists)
                .OrderBy(path => int.TryParse(Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(path))), out var major) ? major : 0)
                .LastOrDefault()
            : null;

    /// <summary>True when the tests have a server: a configured one, or initdb to start one.</summary>
    public static bool Available => Configured is not null || InitDb is not null;

    private string DataFolder => Path.Combine(_folder!, "data");

    public async Task InitializeAsync()
    {
        if (Configured is not null)
            _adminConnectionString = Configured;
        else if (InitDb is not null)
            _adminConnectionString = await StartThrowawayAsync(InitDb);
    }

    /// <summary>A new, empty database on the server: its connection string (as the server's superuser).</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var admin = _adminConnectionString ?? throw new InvalidOperationException(
            $"No PostgreSQL for the tests: set {ServerVariable}, or install Debian's postgresql package (initdb)");
        var name = $"t_{Guid.NewGuid():N}";
        await ExecuteAsync(admin, $"CREATE DATABASE {name}");
        lock (_databases)
            _databases.Add(name);
        return new NpgsqlConnectionStringBuilder(admin) { Database = name }.ToString();
    }

    /// <summary>The first column of the first row of <paramref name="sql"/>, as an operator's psql would read it.</summary>
    public static async Task<long> CountAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    public async Task DisposeAsync()
    {
        if (_folder is not null)
        {
            // The whole throwaway server goes, with every database the tests made.
            NpgsqlConnection.ClearAllPools();
            await RunAsOwnerAsync(PgCtl, "-D", DataFolder, "-m", "fast", "-w", "stop");
            Directory.Delete(_folder, recursive: true);
        }
        else if (_adminConnectionString is not null)
        {
            // Someone else's server: leave it as it was found.
            NpgsqlConnection.ClearAllPools();
            foreach (var name in _databases)
                await ExecuteAsync(_adminConnectionString, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        }
    }

    private string PgCtl => Path.Combine(Path.GetDirectoryName(InitDb)!, "pg_ctl");

    /// <summary>
    /// initdb in a new folder under /tmp (kept short: the server's Unix socket lives there and socket paths are
    /// limited to about 100 bytes), then a server on a free loopback port; returns its superuser connection string.
    /// </summary>
    private async Task<string> StartThrowawayAsync(string initDb)
    {
        _folder = Path.Combine("/tmp", $"pg{Guid.NewGuid():N}"[..10]);
        Directory.CreateDirectory(_folder);
        var password = Guid.NewGuid().ToString("N");
        var passwordFile = Path.Combine(_folder, "password");
        // initdb reads the password from a file: the user it runs as cannot read a process substitution of ours.
        await File.WriteAllTextAsync(passwordFile, password);
        if (Environment.IsPrivilegedProcess)
            Require("chown", await RunAsync("chown", "-R", "postgres:postgres", _folder)); // PostgreSQL refuses to run as root

        Require("initdb", await RunAsOwnerAsync(initDb, "-D", DataFolder, "-U", "postgres", "--auth-local=trust",
            "--auth-host=scram-sha-256", $"--pwfile={passwordFile}"));
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            // fsync and synchronous commits buy durability that a test database thrown away at the end does not need.
            var (exitCode, output) = await RunAsOwnerAsync(PgCtl, "-D", DataFolder, "-l", Path.Combine(_folder, "server.log"), "-w",
                "-o", $"-c listen_addresses=127.0.0.1 -p {port} -k {_folder} -c fsync=off -c synchronous_commit=off", "start");
            if (exitCode == 0)
            {
                return new NpgsqlConnectionStringBuilder
                {
                    Host = "127.0.0.1", Port = port, Username = "postgres", Password = password, Database = "postgres",
                }.ToString();
            }
            // Another process can take the port between the probe and the server's bind: try a fresh one.
            if (attempt == StartAttempts)
            {
                var log = await File.ReadAllTextAsync(Path.Combine(_folder, "server.log"));
                throw new InvalidOperationException($"PostgreSQL did not start: {output}{Environment.NewLine}{log}");
            }
        }
    }

    private static int FreePort()
    {
        while (true)
        {
            var port = Random.Shared.Next(LowestPort, HighestPort + 1);
            try
            {
                using var probe = new TcpListener(IPAddress.Loopback, port);
                probe.Start();
                return port;
            }
            catch (SocketException)
            {
                // taken: draw again
            }
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static void Require(string what, (int ExitCode, string Output) result)
    {
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"{what} failed ({result.ExitCode}): {result.Output}");
    }

    /// <summary>Runs a PostgreSQL tool as the user that owns the server: postgres when the tests run as root.</summary>
    private Task<(int ExitCode, string Output)> RunAsOwnerAsync(string program, params string[] arguments) =>
        Environment.IsPrivilegedProcess
            ? RunAsync("runuser", ["-u", "postgres", "--", program, .. arguments])
            : RunAsync(program, arguments);

    private async Task<(int ExitCode, string Output)> RunAsync(string program, params string[] arguments)
    {
        var (exitCode, stdout, stderr) = await Script.RunAsync(program, arguments, _folder, timeout: CommandTimeout);
        return (exitCode, stdout + stderr);
    }
}

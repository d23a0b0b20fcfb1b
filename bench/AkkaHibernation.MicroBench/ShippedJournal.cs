using Akka.Configuration;
using AkkaHibernation.Server.Configuration;
using AkkaHibernation.Server.Journal;

namespace AkkaHibernation.MicroBench;

/// <summary>The server's shipped config over a fresh SQLite file in a temp folder, with Akka's log on the console at WARNING.</summary>
public sealed class ShippedJournal : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("akkahib-microbench-").FullName;

    public ShippedJournal()
    {
        var config = ConfigurationFactory.ParseString($"""
                akka.loglevel = WARNING
                akka.loggers = ["Akka.Event.DefaultLogger"]
                akka-hibernation.journal.database-path = "{DatabasePath.Replace("\\", "/")}"
                """)
            .WithFallback(HoconLoader.Shipped());
        Store = JournalStore.FromConfig(config);
        Config = Store.Prepare();
    }

    public string DatabasePath => Path.Combine(_folder, "journal.db");

    public JournalStore Store { get; }

    /// <summary>The full config, every persistence plugin pointed at the file (start a system with <c>Store.SystemSetup</c> of it).</summary>
    public Config Config { get; }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}

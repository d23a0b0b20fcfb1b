using Akka.Actor.Setup;
using AkkaHibernation.Server.Configuration;
using AkkaHibernation.Server.Journal;
using Xunit.Abstractions;

namespace AkkaHibernation.Tests.Support;

/// <summary>A TestKit whose actor system uses the shipped HOCON and a real SQLite journal file of its own.</summary>
public abstract class PersistenceSpec : Akka.TestKit.Xunit2.TestKit
{
    /// <summary>Persistence starts in about a second; replies that need the journal get this long.</summary>
    protected static readonly TimeSpan JournalTimeout = TimeSpan.FromSeconds(15);

    protected PersistenceSpec(ITestOutputHelper output) : this(new TestDatabase(), output)
    {
    }

    private PersistenceSpec(TestDatabase database, ITestOutputHelper output) : base(SpecSetup(database), output: output)
    {
        Database = database;
    }

    protected TestDatabase Database { get; }

    protected override void AfterAll()
    {
        base.AfterAll();
        Database.Dispose();
    }

    private static ActorSystemSetup SpecSetup(TestDatabase database)
    {
        var overrides = new HostOverrides(null, database.Path, null,
            ["akka.loggers = [\"Akka.TestKit.TestEventListener, Akka.TestKit\"]", "akka.loglevel = DEBUG"]);
        var config = HoconLoader.Load(HoconLoader.DefaultDirectory, overrides.ToConfig());
        var store = JournalStore.FromConfig(config);
        return store.SystemSetup(store.Prepare());
    }
}

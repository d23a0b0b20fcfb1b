using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

using AkkaHibernation.Server.Logging;
using AkkaHibernation.Tests.Support;
using Microsoft.Extensions.Logging;
using Xunit;

namespace AkkaHibernation.Tests.Server;

/// <summary>Akka's log events reach Microsoft.Extensions.Logging with their message template and named arguments.</summary>
public sealed class AkkaLoggerBridgeSpecs
{
    /// <summary>Keeps what each log call was given: its level, its rendered text and its structured state.</summary>
    private sealed class Capturing : ILoggerProvider, ILogger
    {
        public ConcurrentQueue<(LogLevel Level, string Text, IReadOnlyList<KeyValuePair<string, object?>> State)> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Enqueue((logLevel, formatter(state, exception), state as IReadOnlyList<KeyValuePair<string, object?>> ?? []));

        public void Dispose()
        {
        }
    }

    [Fact]
    public async Task An_actors_named_placeholders_arrive_as_properties_of_the_log_entry()
    {
        var capturing = new Capturing();
        using var factory = LoggerFactory.Create(builder => builder.AddProvider(capturing).SetMinimumLevel(LogLevel.Debug));
        var config = ConfigurationFactory.ParseString(
            "akka.loglevel = INFO\nakka.loggers = [\"AkkaHibernation.Server.Logging.AkkaLoggerBridge, AkkaHibernation.Server\"]");
        var system = ActorSystem.Create("bridge", BootstrapSetup.Create().WithConfig(config).And(new LoggerFactorySetup(factory)));
        try
        {
            Akka.Event.Logging.GetLogger(system, "spec").Warning("Room {Room} has {Count} sessions", "lobby", 3);

            await Eventually.TrueAsync(() => capturing.Entries.Any(entry => entry.Text == "Room lobby has 3 sessions"), "the entry arrived");
            var (level, _, state) = capturing.Entries.Single(entry => entry.Text == "Room lobby has 3 sessions");
            Assert.Equal(LogLevel.Warning, level);
            Assert.Contains(new KeyValuePair<string, object?>("Room", "lobby"), state);
            Assert.Contains(new KeyValuePair<string, object?>("Count", 3), state);
            Assert.Contains(new KeyValuePair<string, object?>("{OriginalFormat}", "Room {Room} has {Count} sessions"), state);
        }
        finally
        {
            await system.Terminate();
        }
    }
}

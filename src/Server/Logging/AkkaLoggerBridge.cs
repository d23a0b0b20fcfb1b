using Akka.Actor;
using Akka.Dispatch;
using Akka.Event;
using Microsoft.Extensions.Logging;

namespace AkkaHibernation.Server.Logging;

/// <summary>
/// Akka's logger, configured in <c>akka.loggers</c>: writes Akka's log events to Microsoft.Extensions.Logging with
/// the logging class as category, so one logging configuration filters both. An event keeps its message template and
/// arguments (<c>Room {Room} hibernated</c>, with <c>Room</c> a property), so structured sinks see the same fields
/// for the actors' logs as for the transport's.
/// </summary>
public sealed class AkkaLoggerBridge : ReceiveActor, IRequiresMessageQueue<ILoggerMessageQueueSemantics>
{
    private readonly Dictionary<Type, ILogger> _loggers = new();

    /// <summary>Made by Akka's logging system.</summary>
    public AkkaLoggerBridge()
    {
        var setup = Context.System.Settings.Setup.Get<LoggerFactorySetup>();
        var factory = setup.HasValue
            ? setup.Value.LoggerFactory
            : throw new InvalidOperationException($"{nameof(AkkaLoggerBridge)} needs a {nameof(LoggerFactorySetup)} in the actor system setup");

        Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
        Receive<LogEvent>(log =>
        {
            if (!_loggers.TryGetValue(log.LogClass, out var logger))
                _loggers[log.LogClass] = logger = factory.CreateLogger(log.LogClass.FullName ?? log.LogSource);
            if (log.Message is LogMessage message)
                logger.Log(LevelOf(log.LogLevel()), log.Cause, message.Format, message.Parameters().ToArray());
            else
                logger.Log(LevelOf(log.LogLevel()), log.Cause, "{AkkaMessage}", log.Message);
        });
    }

    private static Microsoft.Extensions.Logging.LogLevel LevelOf(Akka.Event.LogLevel level) => level switch
    {
        Akka.Event.LogLevel.DebugLevel => Microsoft.Extensions.Logging.LogLevel.Debug,
        Akka.Event.LogLevel.InfoLevel => Microsoft.Extensions.Logging.LogLevel.Information,
        Akka.Event.LogLevel.WarningLevel => Microsoft.Extensions.Logging.LogLevel.Warning,
        _ => Microsoft.Extensions.Logging.LogLevel.Error,
    };
}

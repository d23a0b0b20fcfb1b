using Akka.Actor.Setup;
using Microsoft.Extensions.Logging;

namespace AkkaHibernation.Server.Logging;

/// <summary>Hands the host's <see cref="ILoggerFactory"/> to <see cref="AkkaLoggerBridge"/> through the actor system's setup.</summary>
public sealed class LoggerFactorySetup(ILoggerFactory loggerFactory) : Setup
{
    /// <summary>The factory Akka's log events are written to.</summary>
    public ILoggerFactory LoggerFactory { get; } = loggerFactory;
}

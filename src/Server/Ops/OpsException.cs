namespace AkkaHibernation.Server.Ops;

/// <summary>An ops command cannot go on: the message is for the operator, the code is the process exit code.</summary>
public sealed class OpsException(int exitCode, string message) : Exception(message)
{
    /// <summary>The process exit code (see <see cref="ExitCodes"/>).</summary>
    public int ExitCode { get; } = exitCode;
}

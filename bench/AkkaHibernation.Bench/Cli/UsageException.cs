namespace AkkaHibernation.Bench.Cli;

/// <summary>The command line is not one the program understands; print the usage and exit with 2.</summary>
public sealed class UsageException(string message) : Exception(message);

using Xunit;

namespace AkkaHibernation.Tests.Support;

/// <summary>
/// A test that needs a PostgreSQL server (<see cref="PostgresServer"/>). Where there is none it is skipped, so that
/// `dotnet test` passes on a machine without PostgreSQL; CI installs Debian's postgresql package and sets
/// AKKAHIBERNATION_POSTGRES_TESTS=required, which turns a missing server into a failure instead.
/// </summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    private static bool Required => Environment.GetEnvironmentVariable("AKKAHIBERNATION_POSTGRES_TESTS") == "required";

    public PostgresFactAttribute()
    {
        if (!Required && !PostgresServer.Available)
        {
            Skip = $"Needs PostgreSQL: set {PostgresServer.ServerVariable} or install Debian's postgresql package " +
                   "(apt-get install postgresql); .ci/run installs it";
        }
    }
}

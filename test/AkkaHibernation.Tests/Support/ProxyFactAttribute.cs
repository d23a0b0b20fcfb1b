using Xunit;

namespace AkkaHibernation.Tests.Support;

/// <summary>
/// A test that runs Debian's nginx in front of the server. Where nginx is missing it is skipped; CI installs it and sets
/// AKKAHIBERNATION_PROXY_TESTS=required, which turns a missing nginx into a failure instead.
/// </summary>
public sealed class ProxyFactAttribute : FactAttribute
{
    /// <summary>The nginx binary, where Debian's package puts it.</summary>
    public const string Nginx = "/usr/sbin/nginx";

    public ProxyFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("AKKAHIBERNATION_PROXY_TESTS") != "required" && !File.Exists(Nginx))
            Skip = "Needs Debian's nginx (apt-get install nginx); .ci/run installs it";
    }
}

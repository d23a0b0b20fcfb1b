using Xunit;

namespace AkkaHibernation.Tests.Support;

/// <summary>
/// A test that drives Debian's Chromium through Node.js. Where either is missing it is skipped, so that `dotnet test`
/// passes on a machine without a browser; CI installs both and sets AKKAHIBERNATION_BROWSER_TESTS=required, which
/// turns a missing browser into a failure instead.
/// </summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    /// <summary>The Chromium binary: $CHROMIUM, else /usr/bin/chromium when it exists.</summary>
    public static string? Chromium { get; } =
        Environment.GetEnvironmentVariable("CHROMIUM") is { Length: > 0 } configured ? configured
        : File.Exists("/usr/bin/chromium") ? "/usr/bin/chromium"
        : null;

    internal static bool Required => Environment.GetEnvironmentVariable("AKKAHIBERNATION_BROWSER_TESTS") == "required";

    public BrowserFactAttribute()
    {
        if (!Required && (Chromium is null || !OnPath("node")))
            Skip = "Needs Debian's chromium and Node.js (apt-get install chromium nodejs npm); .ci/run installs them";
    }

    internal static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(folder => File.Exists(Path.Combine(folder, program)));
}

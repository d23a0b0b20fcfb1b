using Xunit;

namespace AkkaHibernation.Tests.Support;

/// <summary>
/// A test that runs a Node.js script of test/browser. Where Node.js is missing it is skipped, so that `dotnet test`
/// passes on a machine without it; CI installs it and sets AKKAHIBERNATION_BROWSER_TESTS=required, which turns a
/// missing Node.js into a failure instead.
/// </summary>
public sealed class NodeFactAttribute : FactAttribute
{
    public NodeFactAttribute()
    {
        if (!BrowserFactAttribute.Required && !BrowserFactAttribute.OnPath("node"))
            Skip = "Needs Node.js and npm (apt-get install nodejs npm); .ci/run installs them";
    }
}

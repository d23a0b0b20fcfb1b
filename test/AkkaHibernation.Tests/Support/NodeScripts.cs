namespace AkkaHibernation.Tests.Support;

/// <summary>The Node.js scripts in test/browser and the npm packages they need (installed once, from package-lock.json).</summary>
public static class NodeScripts
{
    public static string Folder { get; } = Path.Combine(Script.RepositoryRoot, "test", "browser");

    private static readonly string[] Packages = ["playwright-core", "ws", "partysocket"];
    private static readonly SemaphoreSlim Installing = new(1, 1);

    /// <summary>Runs <c>npm ci</c> unless every package is already installed; fails the test if it cannot.</summary>
    public static async Task EnsureInstalledAsync()
    {
        await Installing.WaitAsync();
        try
        {
            if (Packages.All(package => Directory.Exists(Path.Combine(Folder, "node_modules", package))))
                return;
            var (exitCode, stdout, stderr) = await Script.RunAsync("npm", ["ci", "--no-audit", "--no-fund"], Folder, timeout: TimeSpan.FromSeconds(180));
            if (exitCode != 0)
                throw new InvalidOperationException($"npm ci in test/browser failed ({exitCode}): {stdout}{stderr}");
        }
        finally
        {
            Installing.Release();
        }
    }
}

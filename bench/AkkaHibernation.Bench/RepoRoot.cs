namespace AkkaHibernation.Bench;

/// <summary>Finds the repository (the folder holding AkkaHibernation.sln) from the binary or the working directory.</summary>
public static class RepoRoot
{
    private const string Marker = "AkkaHibernation.sln";

    public static string Find()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, Marker)))
                    return dir.FullName;
            }
        }
        throw new InvalidOperationException($"Cannot find {Marker} above {AppContext.BaseDirectory} or {Directory.GetCurrentDirectory()}");
    }

    /// <summary>Where <see cref="HostBuild"/> publishes the host.</summary>
    public static string HostDirectory(string root) => Path.Combine(root, "artifacts", "bench", "host");

    /// <summary>The published host's entry assembly.</summary>
    public static string HostDll(string root) => Path.Combine(HostDirectory(root), HostDllName);

    public const string HostDllName = "AkkaHibernation.Host.dll";
}

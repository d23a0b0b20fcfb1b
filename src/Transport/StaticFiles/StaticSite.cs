using System.Collections.Frozen;
using System.Reflection;

namespace AkkaHibernation.Transport.StaticFiles;

/// <summary>
/// A folder of files served under a URL prefix (e.g. the chat demo's page at <c>/demo/</c>), held in memory: a
/// site is a handful of small files shipped inside an assembly, so there is no file system path to escape from.
/// </summary>
public sealed class StaticSite
{
    private const string IndexFile = "index.html";

    private static readonly IReadOnlyDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".json"] = "application/json; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
        [".ico"] = "image/x-icon",
    };

    private readonly FrozenDictionary<string, StaticFile> _files;

    /// <summary>A site of <paramref name="files"/> (path relative to the prefix → file) under <paramref name="prefix"/>.</summary>
    /// <exception cref="ArgumentException">The prefix does not start and end with '/', or is just "/".</exception>
    public StaticSite(string prefix, IReadOnlyDictionary<string, StaticFile> files)
    {
        if (prefix.Length < 3 || prefix[0] != '/' || prefix[^1] != '/')
            throw new ArgumentException($"A static site's prefix must look like '/name/', got '{prefix}'", nameof(prefix));
        Prefix = prefix;
        _files = files.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The URL prefix, starting and ending with '/'.</summary>
    public string Prefix { get; }

    /// <summary>
    /// The site made of <paramref name="assembly"/>'s embedded resources whose logical names start with
    /// <paramref name="resourceFolder"/> followed by '/' (the rest of the name is the file's path under the prefix).
    /// </summary>
    /// <exception cref="ArgumentException">The assembly holds no such resource.</exception>
    public static StaticSite FromEmbeddedResources(Assembly assembly, string resourceFolder, string prefix)
    {
        var folder = resourceFolder.TrimEnd('/') + "/";
        var files = new Dictionary<string, StaticFile>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(folder, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            files[name[folder.Length..]] = new StaticFile(ContentTypeOf(name), buffer.ToArray());
        }
        if (files.Count == 0)
            throw new ArgumentException($"{assembly.GetName().Name} embeds no resource under '{folder}'", nameof(resourceFolder));
        return new StaticSite(prefix, files);
    }

    /// <summary>The file at <paramref name="relativePath"/> under the prefix (empty: the index page), or null.</summary>
    public StaticFile? Find(string relativePath) =>
        _files.GetValueOrDefault(relativePath.Length == 0 ? IndexFile : relativePath);

    private static string ContentTypeOf(string name) =>
        ContentTypes.GetValueOrDefault(Path.GetExtension(name), "application/octet-stream");
}

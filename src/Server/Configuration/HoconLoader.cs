using Akka.Configuration;
using Microsoft.Extensions.Configuration;

namespace AkkaHibernation.Server.Configuration;

/// <summary>
/// Loads the server's HOCON: the shipped files (<c>hocon/*.hocon</c>, embedded in this library, so a host built on it
/// needs no copy), then the operator's folder over them, then the host's configuration (<see cref="ConfigurationHocon"/>),
/// then any overrides.
/// </summary>
public static class HoconLoader
{
    private const string ResourcePrefix = "hocon/";

    /// <summary>The <c>hocon</c> folder beside the program, where a host ships the files an operator edits.</summary>
    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "hocon");

    /// <summary>
    /// Merges the shipped files, then every <c>*.hocon</c> file of <paramref name="directory"/> (in name order; null: the
    /// <see cref="DefaultDirectory"/> if it exists), then <paramref name="configuration"/>'s section, under <paramref name="overrides"/>.
    /// </summary>
    /// <exception cref="ConfigurationException">A named folder does not exist or holds no file, or a file or key does not parse.</exception>
    public static Config Load(string? directory, Config? overrides = null, IConfiguration? configuration = null)
    {
        var merged = Shipped();
        var folder = directory ?? (Directory.Exists(DefaultDirectory) ? DefaultDirectory : null);
        if (folder is not null)
            merged = Folder(folder).WithFallback(merged);
        if (configuration is not null)
            merged = ConfigurationHocon.From(configuration).WithFallback(merged);
        return overrides is null ? merged : overrides.WithFallback(merged);
    }

    /// <summary>The files this library ships, merged in name order.</summary>
    public static Config Shipped()
    {
        var assembly = typeof(HoconLoader).Assembly;
        var merged = ConfigurationFactory.Empty;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
            merged = merged.WithFallback(ConfigurationFactory.ParseString(reader.ReadToEnd()));
        }
        return merged;
    }

    private static Config Folder(string directory)
    {
        if (!Directory.Exists(directory))
            throw new ConfigurationException($"HOCON folder {directory} does not exist");
        var files = Directory.GetFiles(directory, "*.hocon").Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
            throw new ConfigurationException($"HOCON folder {directory} holds no *.hocon file");

        var merged = ConfigurationFactory.Empty;
        foreach (var file in files)
            merged = merged.WithFallback(ConfigurationFactory.ParseString(File.ReadAllText(file)));
        return merged;
    }
}

using Akka.Configuration;

namespace AkkaHibernation.Host.Configuration;

/// <summary>Loads the <c>hocon/*.hocon</c> files the host ships with, under any overrides.</summary>
public static class HoconLoader
{
    /// <summary>The <c>hocon</c> folder copied next to the host's binaries.</summary>
    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "hocon");

    /// <summary>Merges every <c>*.hocon</c> file of <paramref name="directory"/> (in name order) under <paramref name="overrides"/>.</summary>
    public static Config Load(string directory, Config? overrides = null)
    {
        if (!Directory.Exists(directory))
            throw new ConfigurationException($"HOCON folder {directory} does not exist");
        var files = Directory.GetFiles(directory, "*.hocon").Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
            throw new ConfigurationException($"HOCON folder {directory} holds no *.hocon file");

        var merged = ConfigurationFactory.Empty;
        foreach (var file in files)
            merged = merged.WithFallback(ConfigurationFactory.ParseString(File.ReadAllText(file)));
        return overrides is null ? merged : overrides.WithFallback(merged);
    }
}

using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Akka.Configuration;
using Microsoft.Extensions.Configuration;

namespace AkkaHibernation.Server.Configuration;

/// <summary>
/// The server's settings from the generic host's configuration (appsettings.json and its other sources), as a HOCON
/// layer: the section <see cref="Section"/> holds the keys under <c>akka-hibernation</c> with their HOCON names, e.g.
/// <c>{ "AkkaHibernation": { "rooms": { "idle-timeout": "5s" }, "transport": { "trusted-proxies": ["10.0.0.5"] } } }</c>.
/// It lies over the HOCON files and under the command line and the <c>AKKAHIBERNATION_*</c> variables.
/// </summary>
public static partial class ConfigurationHocon
{
    /// <summary>The configuration section that stands for <c>akka-hibernation</c>.</summary>
    public const string Section = "AkkaHibernation";

    /// <summary>The layer <paramref name="configuration"/> gives; empty when it has no <see cref="Section"/>.</summary>
    /// <exception cref="ConfigurationException">A key is not a HOCON key name.</exception>
    public static Config From(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        if (!section.Exists())
            return ConfigurationFactory.Empty;
        var text = new StringBuilder();
        Write(text, "akka-hibernation", section);
        return ConfigurationFactory.ParseString(text.ToString());
    }

    private static void Write(StringBuilder text, string path, IConfigurationSection section)
    {
        var children = section.GetChildren().ToList();
        if (children.Count == 0)
        {
            text.AppendLine($"{path} = {JsonSerializer.Serialize(section.Value ?? "")}");
            return;
        }
        // Configuration holds an array as the children "0", "1", …
        if (children.All(child => int.TryParse(child.Key, out _)))
        {
            var items = children.OrderBy(child => int.Parse(child.Key)).Select(child => child.Value ?? "");
            text.AppendLine($"{path} = {JsonSerializer.Serialize(items)}");
            return;
        }
        foreach (var child in children)
        {
            if (!KeyName().IsMatch(child.Key))
                throw new ConfigurationException($"{child.Path}: '{child.Key}' is not a HOCON key name (letters, digits, '-' and '_')");
            Write(text, $"{path}.{child.Key}", child);
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex KeyName();
}

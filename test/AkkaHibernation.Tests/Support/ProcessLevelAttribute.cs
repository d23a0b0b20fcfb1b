using Xunit.Abstractions;
using Xunit.Sdk;

namespace AkkaHibernation.Tests.Support;

/// <summary>
/// Marks a spec class that starts other processes: host processes, a PostgreSQL server, Node.js or Chromium. They give
/// the trait <c>Category=Process</c>, so <c>dotnet test --filter "Category!=Process"</c> runs the fast specs alone.
/// </summary>
[TraitDiscoverer("AkkaHibernation.Tests.Support.ProcessLevelDiscoverer", "AkkaHibernation.Tests")]
[AttributeUsage(AttributeTargets.Class)]
public sealed class ProcessLevelAttribute : Attribute, ITraitAttribute
{
    /// <summary>The trait's name and value.</summary>
    public const string Category = "Category", Value = "Process";
}

/// <summary>Turns <see cref="ProcessLevelAttribute"/> into its trait.</summary>
public sealed class ProcessLevelDiscoverer : ITraitDiscoverer
{
    public IEnumerable<KeyValuePair<string, string>> GetTraits(IAttributeInfo traitAttribute) =>
        [new(ProcessLevelAttribute.Category, ProcessLevelAttribute.Value)];
}

namespace AkkaHibernation.Bench;

/// <summary>Which server a scenario drives.</summary>
public enum Target
{
    /// <summary>The AkkaHibernation host, built from src/Host.</summary>
    Server,

    /// <summary>The bench's own plain HttpListener fan-out server (<c>serve-baseline</c>), the yardstick for ratios.</summary>
    Baseline,
}

/// <summary>Parses and names <see cref="Target"/>s the way the command line spells them.</summary>
public static class Targets
{
    public static readonly string[] Names = ["server", "baseline"];

    public static Target Parse(string name) => name == "baseline" ? Target.Baseline : Target.Server;

    public static string Name(this Target target) => target == Target.Baseline ? "baseline" : "server";
}

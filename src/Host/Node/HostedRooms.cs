using Akka.Configuration;
using AkkaHibernation.Actors.Behaviours;
using AkkaHibernation.Samples.Chat;
using AkkaHibernation.Transport.Routing;
using AkkaHibernation.Transport.StaticFiles;

namespace AkkaHibernation.Host.Node;

/// <summary>The room types a node runs and the static sites it serves beside them.</summary>
/// <param name="Types">Room types; the default type answers the routes of the seed (the reference Worker and Durable Object this server ports).</param>
/// <param name="Sites">Static sites (the chat demo's page at <c>/demo/</c>).</param>
public sealed record HostedRooms(RoomTypes Types, IReadOnlyList<StaticSite> Sites)
{
    /// <summary>The HOCON path of the demo's settings.</summary>
    public const string DemoConfigPath = "akka-hibernation.demo";

    /// <summary>The URL prefix of the demo page.</summary>
    public const string DemoPrefix = "/demo/";

    /// <summary>The seed's room, plus the chat sample and its page when <c>akka-hibernation.demo.enabled</c>.</summary>
    public static HostedRooms FromConfig(Config config)
    {
        var demo = config.GetConfig(DemoConfigPath)
                   ?? throw new ConfigurationException($"Missing HOCON section {DemoConfigPath}");
        if (!demo.GetBoolean("enabled"))
            return new HostedRooms(RoomTypes.Seed, []);

        var options = new ChatOptions(
            demo.GetInt("history-limit"),
            demo.GetInt("max-message-length"),
            demo.GetTimeSpan("announcement-interval"));
        if (options.HistoryLimit < 1 || options.MaxMessageLength < 1 || options.Announcements <= TimeSpan.Zero)
            throw new ConfigurationException($"{DemoConfigPath}: history-limit, max-message-length and announcement-interval must be positive");
        var page = StaticSite.FromEmbeddedResources(typeof(ChatRoom).Assembly, "wwwroot", DemoPrefix);
        return new HostedRooms(ChatRoom.Register(RoomTypes.Seed, options), [page]);
    }

    /// <summary>The transport's routes for these rooms and sites.</summary>
    public RouteTable Routes => new(Types.Names.ToHashSet(), Sites);
}

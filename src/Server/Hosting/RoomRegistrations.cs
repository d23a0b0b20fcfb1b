using System.Reflection;
using AkkaHibernation.Actors.Behaviours;
using AkkaHibernation.Server.Node;
using AkkaHibernation.Transport.StaticFiles;
using Microsoft.Extensions.DependencyInjection;

namespace AkkaHibernation.Server.Hosting;

/// <summary>
/// The room types and static sites a host registers, turned into the node's <see cref="HostedRooms"/> once the
/// service provider exists: each room is then made through dependency injection, given its <see cref="IRoomContext"/>.
/// </summary>
internal sealed class RoomRegistrations
{
    private readonly Dictionary<string, Type> _types = new();
    private readonly List<StaticSite> _sites = [];
    private Type _defaultType = typeof(WebSocketHibernationServer);

    /// <summary>Registers <typeparamref name="TRoom"/> as type <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">The name is invalid, reserved, or already registered.</exception>
    public void Add<TRoom>(string name) where TRoom : class, IRoomBehaviour
    {
        // Checked here, so a bad name is reported where it is written rather than when the host starts.
        if (RoomTypes.Unregistrable(name) is { } invalid)
            throw new ArgumentException(invalid, nameof(name));
        if (!_types.TryAdd(name, typeof(TRoom)))
            throw new ArgumentException($"Room type '{name}' is already registered", nameof(name));
    }

    /// <summary>Makes <typeparamref name="TRoom"/> the default type: the seed's routes and <c>/rooms/{room}</c>.</summary>
    public void UseDefault<TRoom>() where TRoom : class, IRoomBehaviour => _defaultType = typeof(TRoom);

    /// <summary>Serves the files embedded in <paramref name="assembly"/> under <paramref name="resourceFolder"/> at <paramref name="prefix"/>.</summary>
    public void AddSite(string prefix, Assembly assembly, string resourceFolder) =>
        _sites.Add(StaticSite.FromEmbeddedResources(assembly, resourceFolder, prefix));

    /// <summary>The node's rooms, each made by <paramref name="services"/> with its context.</summary>
    public HostedRooms Build(IServiceProvider services)
    {
        var types = RoomTypes.WithDefault(FactoryFor(_defaultType, services));
        foreach (var (name, type) in _types)
            types = types.With(name, FactoryFor(type, services));
        return new HostedRooms(types, _sites.ToList());
    }

    private static RoomBehaviourFactory FactoryFor(Type behaviour, IServiceProvider services)
    {
        // Compiled once per type: a wake calls it for every room incarnation.
        var create = ActivatorUtilities.CreateFactory(behaviour, [typeof(IRoomContext)]);
        return context => (IRoomBehaviour)create(services, [context]);
    }
}

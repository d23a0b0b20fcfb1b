using System.Collections;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace AkkaHibernation.Transport.Http;

/// <summary>
/// Binds the listening sockets of a managed <see cref="HttpListener"/> ourselves, before it starts. Its own endpoint
/// listener (dotnet/runtime <c>HttpEndPointListener</c>) binds, listens, and starts accepting in its constructor
/// before its table of connections exists: a connection that is already waiting then is accepted synchronously and
/// the constructor fails (<c>ArgumentNullException</c> in <c>Monitor.Enter</c>), leaving a socket bound with an accept
/// pending that fails the same way on the next connection and takes the process down. That happens whenever clients
/// are connecting as the server binds: seen in a takeover, where clients retry the moment the port is free again, and
/// it would happen at any restart under a reconnect storm. So we make the endpoint listener with its tables first,
/// register it where HttpListener looks (<c>HttpEndPointManager</c>), and only then start its accepts; Start() then
/// finds it and only adds its prefixes. Only non-public members allow this; where a runtime update moved them,
/// <see cref="IsAvailable"/> is false and HttpListener binds as it always did (a spec checks they are there).
/// </summary>
internal static class ListenerEndpoints
{
    private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.NonPublic;
    private const BindingFlags Static = BindingFlags.Static | BindingFlags.NonPublic;
    private const int Backlog = 500; // HttpListener's own

    private static readonly Assembly HttpListenerAssembly = typeof(HttpListener).Assembly;
    private static readonly Type? ManagerType = HttpListenerAssembly.GetType("System.Net.HttpEndPointManager");
    private static readonly Type? EndPointListenerType = HttpListenerAssembly.GetType("System.Net.HttpEndPointListener");
    private static readonly FieldInfo? EndPointsField = ManagerType?.GetField("s_ipEndPoints", Static);
    private static readonly FieldInfo? ListenerField = EndPointListenerType?.GetField("_listener", Instance);
    private static readonly FieldInfo? EndPointField = EndPointListenerType?.GetField("_endpoint", Instance);
    private static readonly FieldInfo? SocketField = EndPointListenerType?.GetField("_socket", Instance);
    private static readonly FieldInfo? PrefixesField = EndPointListenerType?.GetField("_prefixes", Instance);
    private static readonly FieldInfo? ConnectionsField = EndPointListenerType?.GetField("_unregisteredConnections", Instance);
    private static readonly MethodInfo? AcceptMethod = EndPointListenerType?.GetMethod("Accept", Instance, [typeof(SocketAsyncEventArgs)]);
    private static readonly MethodInfo? OnAcceptMethod = EndPointListenerType?.GetMethod("OnAccept", Static, [typeof(object), typeof(SocketAsyncEventArgs)]);

    /// <summary>True when this runtime's HttpListener keeps its endpoint listeners where we look.</summary>
    public static bool IsAvailable =>
        EndPointsField?.GetValue(null) is IDictionary
        && ListenerField?.FieldType == typeof(HttpListener) && EndPointField?.FieldType == typeof(IPEndPoint)
        && SocketField?.FieldType == typeof(Socket) && PrefixesField is not null && ConnectionsField is not null
        && AcceptMethod is not null && OnAcceptMethod is not null;

    /// <summary>The endpoints HttpListener binds for <paramref name="prefixes"/>: <c>+</c> and <c>*</c> are every IPv4 address, a name its first address.</summary>
    public static IReadOnlyList<IPEndPoint> Of(IEnumerable<string> prefixes) =>
        prefixes.Select(EndPointOf).Distinct().ToList();

    /// <summary>
    /// Binds and starts accepting on every endpoint of <paramref name="prefixes"/> that no HttpListener of this process
    /// has bound yet, for <paramref name="listener"/>, which must be started next. Without the runtime's members, does
    /// nothing (HttpListener binds them itself).
    /// </summary>
    /// <exception cref="HttpListenerException">An endpoint cannot be bound (the port is taken, say).</exception>
    public static void Bind(HttpListener listener, IEnumerable<string> prefixes) => Bind(listener, prefixes, beforeAccepting: null);

    /// <summary>As <see cref="Bind(HttpListener, IEnumerable{string})"/>; <paramref name="beforeAccepting"/> runs once the sockets listen and before anything accepts (for specs).</summary>
    internal static void Bind(HttpListener listener, IEnumerable<string> prefixes, Action? beforeAccepting)
    {
        if (!IsAvailable)
            return;
        var table = (IDictionary)EndPointsField!.GetValue(null)!;
        lock (table.SyncRoot)
        {
            var missing = Of(prefixes).Where(endPoint => !(table[endPoint.Address] is IDictionary ports && ports.Contains(endPoint.Port))).ToList();
            // All bound before any is registered, so a port that is taken leaves nothing behind.
            var sockets = new List<Socket>();
            try
            {
                sockets.AddRange(missing.Select(StartListening));
            }
            catch
            {
                sockets.ForEach(socket => socket.Dispose());
                throw;
            }
            beforeAccepting?.Invoke();
            for (var i = 0; i < missing.Count; i++)
                Register(table, missing[i], sockets[i], listener);
        }
    }

    private static Socket StartListening(IPEndPoint endPoint)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(endPoint);
            socket.Listen(Backlog);
            return socket;
        }
        catch (SocketException error)
        {
            socket.Dispose();
            throw new HttpListenerException(error.ErrorCode, error.Message);
        }
    }

    /// <summary>Makes the endpoint listener with its tables, registers it, and only then starts its accepts.</summary>
    private static void Register(IDictionary table, IPEndPoint endPoint, Socket socket, HttpListener listener)
    {
        var endPointListener = RuntimeHelpers.GetUninitializedObject(EndPointListenerType!);
        ListenerField!.SetValue(endPointListener, listener);
        EndPointField!.SetValue(endPointListener, endPoint);
        SocketField!.SetValue(endPointListener, socket);
        PrefixesField!.SetValue(endPointListener, Activator.CreateInstance(PrefixesField.FieldType));
        ConnectionsField!.SetValue(endPointListener, Activator.CreateInstance(ConnectionsField.FieldType));
        if (table[endPoint.Address] is not IDictionary ports)
        {
            ports = (IDictionary)Activator.CreateInstance(EndPointsField!.FieldType.GetGenericArguments()[1])!;
            table[endPoint.Address] = ports;
        }
        ports[endPoint.Port] = endPointListener;

        var accepting = new SocketAsyncEventArgs { UserToken = endPointListener };
        accepting.Completed += (EventHandler<SocketAsyncEventArgs>)Delegate.CreateDelegate(typeof(EventHandler<SocketAsyncEventArgs>), OnAcceptMethod!);
        AcceptMethod!.Invoke(endPointListener, [accepting]);
    }

    private static IPEndPoint EndPointOf(string prefix)
    {
        var start = prefix.IndexOf("://", StringComparison.Ordinal) + 3;
        var end = prefix.IndexOf('/', start);
        var authority = prefix[start..(end < 0 ? prefix.Length : end)];
        var secure = prefix.StartsWith("https", StringComparison.OrdinalIgnoreCase);
        var colon = authority.LastIndexOf(':');
        var (host, port) = colon > 0 && !authority.EndsWith(']')
            ? (authority[..colon], int.Parse(authority[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture))
            : (authority, secure ? 443 : 80);
        var address = host is "+" or "*" ? IPAddress.Any : Dns.GetHostAddresses(host.Trim('[', ']'))[0];
        return new IPEndPoint(address, port);
    }
}

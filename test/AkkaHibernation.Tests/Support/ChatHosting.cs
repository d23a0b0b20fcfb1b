using AkkaHibernation.Actors.Behaviours;
using AkkaHibernation.Samples.Chat;
using AkkaHibernation.Server.Node;
using AkkaHibernation.Transport.StaticFiles;
using Microsoft.Extensions.Options;

namespace AkkaHibernation.Tests.Support;

/// <summary>The rooms the chat sample's server registers (samples/Chat/Program.cs), for a node in the test process.</summary>
public static class ChatHosting
{
    /// <summary>The seed's room as the default type, the chat room as <c>chat</c>, and its page at <c>/demo/</c>.</summary>
    public static HostedRooms Rooms(ChatOptions? options = null, TimeProvider? clock = null)
    {
        var configured = Options.Create(options ?? new ChatOptions());
        return new HostedRooms(
            RoomTypes.Seed.With(ChatRoom.TypeName, context => new ChatRoom(context, configured, clock ?? TimeProvider.System)),
            [StaticSite.FromEmbeddedResources(typeof(ChatRoom).Assembly, "wwwroot", "/demo/")]);
    }
}

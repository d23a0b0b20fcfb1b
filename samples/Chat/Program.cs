using AkkaHibernation.Samples.Chat;
using AkkaHibernation.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;

// The chat sample as its own server: the library's command line, the chat room at /parties/chat/{room}, its page at
// /demo/, and the default type (every URL ending in /websocket, /rooms/{room}) still the seed's room.
var server = HibernationServer.CreateBuilder(args);
server.Services.AddOptions<ChatOptions>()
    .Bind(server.Configuration.GetSection(ChatOptions.Section))
    .Validate(options => options.IsValid, ChatOptions.Invalid)
    .ValidateOnStart();
server.AddRoomType<ChatRoom>(ChatRoom.TypeName);
server.AddStaticSite("/demo/", typeof(ChatRoom).Assembly, "wwwroot");
return await server.RunAsync();

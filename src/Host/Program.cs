using AkkaHibernation.Server.Hosting;

// The shipped server: the seed's room (the reference Durable Object this server ports) on the library's command line.
return await HibernationServer.CreateBuilder(args).RunAsync();

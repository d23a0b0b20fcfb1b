using Xunit;

namespace AkkaHibernation.Tests.Support;

/// <summary>The tests that share one <see cref="PostgresServer"/> for the whole run.</summary>
[CollectionDefinition(PostgresServer.Collection)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>;

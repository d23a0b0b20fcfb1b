using System.Runtime.CompilerServices;

// The BenchmarkDotNet project measures the internal frame encoder directly, as the tests do.
[assembly: InternalsVisibleTo("AkkaHibernation.MicroBench")]

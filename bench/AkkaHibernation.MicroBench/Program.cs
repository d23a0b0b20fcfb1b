using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/AkkaHibernation.MicroBench -- --filter '*'   (or a class name, e.g. '*Serializer*')
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

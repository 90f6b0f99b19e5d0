using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(TokenFunction.Benchmarks.MintingBenchmarks).Assembly).Run(args);

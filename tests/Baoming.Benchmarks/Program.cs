using Baoming.Benchmarks;

// Baoming's benchmark program. See BenchmarkApp for the verbs and docs/performance.md for the figures.
return await BenchmarkApp.RunAsync(args);

using Baoming.Benchmarks;

// Baoming's benchmark program. See BenchmarkApp for the verbs and README.md ("Performance") for the figures.
return await BenchmarkApp.RunAsync(args);

using Baoming.Benchmarks.Infrastructure;

namespace Baoming.Benchmarks.Scenarios;

/// <summary>One benchmark: measures its figures and their baselines, and fails loudly when the bot got something wrong.</summary>
internal interface IScenario
{
    /// <summary>The verb on the command line.</summary>
    string Name { get; }

    string Summary { get; }

    IReadOnlyList<(string Option, string Meaning)> Options { get; }

    Task<ResultTable> RunAsync(BenchContext context, CancellationToken cancellationToken);
}

/// <summary>The bot lost, duplicated or garbled something, or did not come up: the figures would be meaningless.</summary>
internal sealed class BenchmarkFailedException : Exception
{
    public BenchmarkFailedException()
    {
    }

    public BenchmarkFailedException(string message)
        : base(message)
    {
    }

    public BenchmarkFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

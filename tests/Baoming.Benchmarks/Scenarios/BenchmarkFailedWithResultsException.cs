using Baoming.Benchmarks.Infrastructure;

namespace Baoming.Benchmarks.Scenarios;

/// <summary>
/// The bot failed the scenario, and the figures measured up to that point are still worth printing (e.g. the bot
/// exited half-way): the table goes to stdout, the message to stderr, and the program exits with 1, as for a
/// <see cref="BenchmarkFailedException"/>.
/// </summary>
internal sealed class BenchmarkFailedWithResultsException : Exception
{
    public BenchmarkFailedWithResultsException()
    {
    }

    public BenchmarkFailedWithResultsException(string message)
        : base(message)
    {
    }

    public BenchmarkFailedWithResultsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public BenchmarkFailedWithResultsException(string message, ResultTable table)
        : base(message)
    {
        Table = table;
    }

    /// <summary>The figures so far.</summary>
    public ResultTable? Table { get; }
}

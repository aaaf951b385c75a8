using System.Globalization;

namespace Baoming.Tests.Metrics;

/// <summary>Reads the samples of a /metrics text: series (name and labels, as written) → value.</summary>
public static class MetricsScrape
{
    public static Dictionary<string, double> Samples(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(line => !line.StartsWith('#'))
            .ToDictionary(line => line[..line.LastIndexOf(' ')], line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
}

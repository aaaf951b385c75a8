using System.Globalization;
using System.Text;

namespace Baoming.Benchmarks.Infrastructure;

/// <summary>A target a figure should meet, as the issue states it.</summary>
/// <param name="Text">How it reads in the table, e.g. "≥ 0.5 × ceiling".</param>
/// <param name="IsMet">Given the figure's median and its ratio to the baseline (null without one).</param>
internal sealed record Target(string Text, Func<double, double?, bool> IsMet);

/// <summary>One measured figure: every repetition's value, and optionally the baseline it is compared with.</summary>
internal sealed record Figure(string Name, string Unit, IReadOnlyList<double> Samples)
{
    /// <summary>The name of the figure (in the same table) this one is divided by.</summary>
    public string? Baseline { get; init; }

    public Target? Target { get; init; }

    public double Median => Statistics.Median(Samples);
}

internal static class Statistics
{
    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /// <summary>The nearest-rank percentile of <paramref name="sorted"/> (ascending).</summary>
    public static double Percentile(double[] sorted, double percent) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(percent / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
}

/// <summary>A scenario's result: its settings, then one row per figure with median, range and ratio.</summary>
internal sealed class ResultTable(string title, IReadOnlyList<string> settings, IReadOnlyList<Figure> figures)
{
    private static readonly string[] Header = ["figure", "median", "range", "ratio", "target"];

    public IReadOnlyList<Figure> Figures => figures;

    public bool AllTargetsMet => figures.All(f => f.Target is null || f.Target.IsMet(f.Median, Ratio(f)));

    public string Render()
    {
        var rows = new List<string[]> { Header };
        foreach (var figure in figures)
        {
            var ratio = Ratio(figure);
            var target = figure.Target is null ? "" : $"{figure.Target.Text}: {(figure.Target.IsMet(figure.Median, ratio) ? "met" : "NOT met")}";
            rows.Add(
            [
                $"{figure.Name} ({figure.Unit})",
                Format(figure.Median),
                $"{Format(figure.Samples.Min())} – {Format(figure.Samples.Max())}",
                ratio is { } r ? $"{r.ToString("0.00", CultureInfo.InvariantCulture)} × {figure.Baseline}"
                    : figures.Any(f => f.Baseline == figure.Name) ? "baseline" : "",
                target,
            ]);
        }

        var widths = Enumerable.Range(0, 5).Select(c => rows.Max(r => Width(r[c]))).ToArray();
        var text = new StringBuilder();
        text.Append("## ").Append(title).Append('\n');
        foreach (var setting in settings)
        {
            text.Append(setting).Append('\n');
        }

        text.Append('\n');
        for (var i = 0; i < rows.Count; i++)
        {
            text.Append("| ").AppendJoin(" | ", rows[i].Select((cell, c) => Pad(cell, widths[c]))).Append(" |\n");
            if (i == 0)
            {
                text.Append('|').AppendJoin('|', widths.Select(w => new string('-', w + 2))).Append("|\n");
            }
        }

        return text.ToString();
    }

    private double? Ratio(Figure figure) =>
        figure.Baseline is { } name && figures.FirstOrDefault(f => f.Name == name) is { } baseline ? figure.Median / baseline.Median : null;

    private static string Format(double value) =>
        Math.Abs(value) >= 100 ? value.ToString("0", CultureInfo.InvariantCulture)
        : Math.Abs(value) >= 10 ? value.ToString("0.0", CultureInfo.InvariantCulture)
        : value.ToString("0.00", CultureInfo.InvariantCulture);

    // East Asian characters take two columns in a terminal.
    private static int Width(string s) => s.Sum(ch => ch >= 0x2E80 && ch <= 0xFFEF ? 2 : 1);

    private static string Pad(string s, int width) => s + new string(' ', Math.Max(0, width - Width(s)));
}

using System.Globalization;
using System.Text;

namespace Baoming.Metrics;

public enum MetricType
{
    Counter,
    Gauge,
}

/// <summary>One metric: a name, its help text and type, and one sample per label set.</summary>
public sealed record MetricFamily(string Name, string Help, MetricType Type, IReadOnlyList<MetricSample> Samples);

/// <summary>One series' value; labels are written in the order given.</summary>
public sealed record MetricSample(IReadOnlyList<KeyValuePair<string, string>> Labels, double Value)
{
    public static MetricSample Unlabelled(double value) => new([], value);
}

/// <summary>
/// Prometheus text exposition format 0.0.4
/// (https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format):
/// <c># HELP</c> and <c># TYPE</c> lines, then <c>name{label="value"} number</c>, lines ending in \n.
/// </summary>
public static class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Write(IEnumerable<MetricFamily> families)
    {
        var text = new StringBuilder();
        foreach (var family in families)
        {
            var name = MetricName(family.Name);
            text.Append("# HELP ").Append(name).Append(' ').Append(EscapeHelp(family.Help)).Append('\n');
            text.Append("# TYPE ").Append(name).Append(' ').Append(family.Type == MetricType.Counter ? "counter" : "gauge").Append('\n');
            foreach (var sample in family.Samples)
            {
                text.Append(name).Append(Labels(sample.Labels)).Append(' ').Append(Number(sample.Value)).Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary><c>{a="x",b="y"}</c>, or nothing without labels. Escaping makes it unique per label set.</summary>
    public static string Labels(IReadOnlyList<KeyValuePair<string, string>> labels)
    {
        if (labels.Count == 0)
        {
            return "";
        }

        var text = new StringBuilder("{");
        for (var i = 0; i < labels.Count; i++)
        {
            text.Append(i == 0 ? "" : ",").Append(LabelName(labels[i].Key)).Append("=\"").Append(EscapeLabelValue(labels[i].Value)).Append('"');
        }

        return text.Append('}').ToString();
    }

    /// <summary>A metric name as Prometheus accepts it (<c>[a-zA-Z_:][a-zA-Z0-9_:]*</c>): "baoming.signups" → "baoming_signups".</summary>
    public static string MetricName(string name) => Sanitize(name, allowColon: true);

    /// <summary>Go's ParseFloat reads it: invariant culture, shortest round-trip form, <c>+Inf</c>, <c>-Inf</c>, <c>NaN</c>.</summary>
    public static string Number(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        double.NaN => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    private static string LabelName(string name) => Sanitize(name, allowColon: false);

    private static string Sanitize(string name, bool allowColon)
    {
        var text = new StringBuilder(name.Length + 1);
        foreach (var c in name)
        {
            text.Append(char.IsAsciiLetterOrDigit(c) || c == '_' || (allowColon && c == ':') ? c : '_');
        }

        if (text.Length == 0 || char.IsAsciiDigit(text[0]))
        {
            text.Insert(0, '_');
        }

        return text.ToString();
    }

    private static string EscapeHelp(string help) => help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string EscapeLabelValue(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}

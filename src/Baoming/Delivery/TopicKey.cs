using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Baoming.Delivery;

/// <summary>
/// A fan-out's topic: a kind and its numeric parts, written <c>kind:part:part…</c> ("broadcast:7",
/// "reminder:42:1767225600"). The text is what <c>deliveries.topic</c> and the Hangfire job argument hold;
/// it is built and read here only. Each <see cref="ITopic"/> owns its kind and a static <c>Key(…)</c> builder.
/// </summary>
/// <remarks>
/// The one other place a key is written is SQL: <c>Signup.PromotionTopic.TopicSql</c> builds a promotion's key
/// inside its transaction (a test checks that this type reads it). Stored keys must keep their text: only
/// digits after the kind, no sign, no leading zeros, so a key read and written again is the same text.
/// </remarks>
public sealed record TopicKey
{
    /// <summary>The organizers' report on a topic is its own ledger entry, under this prefix and the topic's text.</summary>
    private const string ReportPrefix = "report:";

    private readonly long[] parts;

    private TopicKey(string kind, long[] parts)
    {
        Kind = kind;
        this.parts = parts;
    }

    /// <summary>Lower-case letters only; the key's first segment, e.g. "broadcast".</summary>
    public string Kind { get; }

    /// <summary>How many numeric parts follow the kind.</summary>
    public int Count => parts.Length;

    public long this[int index] => parts[index];

    /// <summary>
    /// The ledger key of the organizers' report on this topic ("report:reminder:42:1767225600"): one row per
    /// organizer, so a retried job does not report twice. Not a topic of its own: never parsed back.
    /// </summary>
    public string ReportKey => ReportPrefix + ToString();

    /// <summary>A key of <paramref name="kind"/> with <paramref name="parts"/> (ids, unix seconds: none negative).</summary>
    public static TopicKey Of(string kind, params long[] parts)
    {
        if (string.IsNullOrEmpty(kind) || !kind.All(char.IsAsciiLetterLower))
        {
            throw new ArgumentException($"A topic kind is lower-case letters: '{kind}'.", nameof(kind));
        }

        if (parts.Any(p => p < 0))
        {
            throw new ArgumentOutOfRangeException(nameof(parts), $"A topic's parts are ids and times, never negative: {kind}:{string.Join(':', parts)}.");
        }

        return new TopicKey(kind, [.. parts]);
    }

    /// <summary>
    /// Reads <c>kind:part:…</c> as <see cref="ToString"/> writes it; false for anything else (a stored key from
    /// a newer version, a typo, a report key).
    /// </summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out TopicKey? key)
    {
        key = null;
        var segments = text?.Split(':');
        if (segments is not [var kind, ..] || kind.Length == 0 || !kind.All(char.IsAsciiLetterLower))
        {
            return false;
        }

        var parts = new long[segments.Length - 1];
        for (var i = 0; i < parts.Length; i++)
        {
            var segment = segments[i + 1];
            // Canonical digits only ("7", not "+7", "07" or "-7"): a key parsed and written again must be the
            // same text, or the ledger would look for rows under another topic.
            if (segment is not ("0" or [>= '1' and <= '9', ..])
                || !long.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out parts[i]))
            {
                return false;
            }
        }

        key = new TopicKey(kind, parts);
        return true;
    }

    /// <summary>Reads a key that must be one (a Hangfire job's argument); throws <see cref="FormatException"/> otherwise.</summary>
    public static TopicKey Parse(string text) =>
        TryParse(text, out var key) ? key : throw new FormatException($"Not a topic key: '{text}'.");

    /// <summary>True when the key is of <paramref name="kind"/> and has exactly <paramref name="count"/> parts.</summary>
    public bool Is(string kind, int count) => Kind == kind && parts.Length == count;

    public bool Equals(TopicKey? other) => other is not null && Kind == other.Kind && parts.AsSpan().SequenceEqual(other.parts);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Kind, StringComparer.Ordinal);
        foreach (var part in parts)
        {
            hash.Add(part);
        }

        return hash.ToHashCode();
    }

    public override string ToString() =>
        parts.Length == 0 ? Kind : $"{Kind}:{string.Join(':', parts.Select(p => p.ToString(CultureInfo.InvariantCulture)))}";
}

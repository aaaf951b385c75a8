using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Baoming.Delivery;

/// <summary>
/// A fan-out's topic: a kind and its numeric parts, written <c>kind:part:part…</c> ("broadcast:7",
/// "reminder:42:1767225600"). The text is what <c>deliveries.topic</c> and the Hangfire job argument hold;
/// it is built and read here only.
/// </summary>
public sealed record TopicKey
{
    private readonly long[] parts;

    private TopicKey(string kind, long[] parts)
    {
        Kind = kind;
        this.parts = parts;
    }

    /// <summary>Lower-case letters only; the key's first segment, e.g. "broadcast".</summary>
    public string Kind { get; }

    public int Count => parts.Length;

    public long this[int index] => parts[index];

    public static TopicKey Of(string kind, params long[] parts)
    {
        if (string.IsNullOrEmpty(kind) || !kind.All(char.IsAsciiLetterLower))
        {
            throw new ArgumentException($"A topic kind is lower-case letters: '{kind}'.", nameof(kind));
        }

        return new TopicKey(kind, [.. parts]);
    }

    /// <summary>Reads <c>kind:part:…</c>; false for anything else (a stored key from a newer version, a typo).</summary>
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
            if (!long.TryParse(segments[i + 1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out parts[i]))
            {
                return false;
            }
        }

        key = new TopicKey(kind, parts);
        return true;
    }

    public static TopicKey Parse(string text) =>
        TryParse(text, out var key) ? key : throw new FormatException($"Not a topic key: '{text}'.");

    public bool Equals(TopicKey? other) => other is not null && Kind == other.Kind && parts.AsSpan().SequenceEqual(other.parts);

    public override int GetHashCode() => HashCode.Combine(Kind, parts.Length, parts.Length > 0 ? parts[0] : 0);

    public override string ToString() =>
        parts.Length == 0 ? Kind : $"{Kind}:{string.Join(':', parts.Select(p => p.ToString(CultureInfo.InvariantCulture)))}";
}

using System.Text.RegularExpressions;

namespace Baoming.Core.Understanding;

/// <summary>
/// <c>/start</c> payloads: a session's key, optionally followed by "-" and a source (where the link was
/// posted: an article, a group, a QR code), e.g. "metaverse-wx36kr". Keys may contain "-" themselves, so a
/// payload has several readings; the store tries them in order and the first existing key wins.
/// </summary>
public static partial class DeepLinks
{
    /// <summary>Telegram's limit on a start payload, and its alphabet.</summary>
    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex Payload();

    /// <summary>A source as it may be stored and exported: 1–64 of A–Z a–z 0–9 _ -.</summary>
    public static bool IsValidSource(string source) => Payload().IsMatch(source);

    /// <summary>
    /// The (key, source) readings of a payload: the whole payload as a key first, then split at each "-"
    /// from the right (the longest key first). None for a payload Telegram would not send.
    /// </summary>
    public static IEnumerable<(string Key, string? Source)> Readings(string payload)
    {
        if (!Payload().IsMatch(payload))
        {
            yield break;
        }

        yield return (payload, null);
        for (var dash = payload.LastIndexOf('-'); dash > 0; dash = payload.LastIndexOf('-', dash - 1))
        {
            if (dash < payload.Length - 1)
            {
                yield return (payload[..dash], payload[(dash + 1)..]);
            }
        }
    }
}

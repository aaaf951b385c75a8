using System.Text.RegularExpressions;

namespace Baoming.Core.Understanding;

/// <summary>
/// <c>/start</c> payloads: a session's key, optionally followed by "-" and a source (where the link was
/// posted: an article, a group, a QR code), e.g. "metaverse-wx36kr". Keys may contain "-" themselves, so a
/// payload has several readings; the store tries them in order and the first existing key wins.
/// </summary>
public static partial class DeepLinks
{
    /// <summary>Telegram's limit on a start payload, in characters (all ASCII, so bytes too).</summary>
    public const int MaxPayloadLength = 64;

    /// <summary>Telegram's limit on a start payload, and its alphabet.</summary>
    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex PayloadPattern();

    /// <summary>A source as it may be stored and exported: 1–64 of A–Z a–z 0–9 _ -.</summary>
    public static bool IsValidSource(string source) => PayloadPattern().IsMatch(source);

    /// <summary>
    /// The longest source a link to <paramref name="key"/> can carry: what the key and its "-" leave of
    /// Telegram's 64 characters; 0 (or less) when no source fits.
    /// </summary>
    public static int MaxSourceLength(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return MaxPayloadLength - key.Length - 1;
    }

    /// <summary>
    /// The payload of a link to <paramref name="key"/> with an optional <paramref name="source"/>
    /// ("metaverse-wx36kr"), or why there is none: the key itself is no payload Telegram sends, or the
    /// source has other characters than A–Z a–z 0–9 _ - or does not fit.
    /// </summary>
    public static LinkPayload Payload(string key, string? source)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!PayloadPattern().IsMatch(key))
        {
            return new LinkPayload.KeyUnfit();
        }

        if (source is null)
        {
            return new LinkPayload.Made(key);
        }

        var payload = key + "-" + source;
        return IsValidSource(source) && payload.Length <= MaxPayloadLength
            ? new LinkPayload.Made(payload)
            : new LinkPayload.BadSource(Math.Max(0, MaxSourceLength(key)));
    }

    /// <summary>
    /// The keys the store tries before (<paramref name="key"/>, <paramref name="source"/>) when it reads
    /// their payload: an existing session with one of them would take the link ("ai" with source
    /// "2027-qr" is first read as the key "ai-2027").
    /// </summary>
    public static IReadOnlyList<string> KeysReadFirst(string key, string source)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(source);
        return [.. Readings(key + "-" + source).TakeWhile(r => r != (key, source)).Select(r => r.Key)];
    }

    /// <summary>
    /// The (key, source) readings of a payload: the whole payload as a key first, then split at each "-"
    /// from the right (the longest key first). None for a payload Telegram would not send.
    /// </summary>
    public static IEnumerable<(string Key, string? Source)> Readings(string payload)
    {
        if (!PayloadPattern().IsMatch(payload))
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

/// <summary>The payload of a link an organizer asks for (<c>/link KEY SOURCE</c>), or why there is none.</summary>
public abstract record LinkPayload
{
    private LinkPayload()
    {
    }

    /// <summary>The payload, e.g. "metaverse-wx36kr".</summary>
    public sealed record Made(string Payload) : LinkPayload;

    /// <summary>The source has characters outside A–Z a–z 0–9 _ -, or is longer than <paramref name="MaxLength"/> (0: none fits this key).</summary>
    public sealed record BadSource(int MaxLength) : LinkPayload;

    /// <summary>The key has characters a start payload cannot carry, or is over 64 characters: no link opens it.</summary>
    public sealed record KeyUnfit : LinkPayload;
}

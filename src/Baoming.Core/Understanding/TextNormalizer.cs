using System.Text;

namespace Baoming.Core.Understanding;

/// <summary>
/// Brings what members type into one comparable form: NFKC (full-width → ASCII), no invisible
/// characters, Traditional characters in their Simplified form, single spaces, lower-case ASCII.
/// </summary>
public static class TextNormalizer
{
    /// <summary>Normalizes <paramref name="text"/>; never throws, null gives "".</summary>
    public static string Normalize(string? text) => LowerAscii(Clean(text));

    /// <summary>
    /// Everything <see cref="Normalize"/> does except lower-casing, for the places where case
    /// carries meaning (deep-link payloads).
    /// </summary>
    internal static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var wellFormed = DropUnwantedChars(text);
        string compatible;
        try
        {
            compatible = wellFormed.Normalize(NormalizationForm.FormKC);
        }
        catch (ArgumentException)
        {
            // ICU rejects some code points (U+FFFE today, which we already drop); a message that
            // still trips it is compared as typed rather than crashing the bot.
            compatible = wellFormed;
        }

        return CollapseWhitespace(compatible);
    }

    /// <summary>
    /// Drops lone surrogates (string.Normalize throws on them), noncharacters ICU refuses,
    /// control characters, and the zero-width and bidi marks that make "报\u200B名" differ from "报名".
    /// </summary>
    private static string DropUnwantedChars(string text)
    {
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    builder.Append(c).Append(text[i + 1]);
                    i++;
                }

                continue;
            }

            if (char.IsLowSurrogate(c) || IsInvisible(c) || (char.IsControl(c) && !char.IsWhiteSpace(c)))
            {
                continue;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    private static bool IsInvisible(char c) =>
        c is (>= '\u200B' and <= '\u200F')
            or (>= '\u202A' and <= '\u202E')
            or (>= '\u2060' and <= '\u2069')
            or '\uFEFF'
            or '\u00AD' // soft hyphen: invisible, pasted from web pages
            or '\u061C' // Arabic letter mark: a bidi control outside the ranges above
            or '\uFFFE' or '\uFFFF';

    /// <summary>Trims, turns every whitespace run into one space and maps Traditional characters to Simplified.</summary>
    private static string CollapseWhitespace(string text)
    {
        var builder = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(Simplify(c));
        }

        return builder.ToString();
    }

    /// <summary>
    /// Traditional characters become Simplified (OpenCC's character table), so Hong Kong and Taiwan
    /// members' "報名", "報個名", "那場" and Traditional session names are understood.
    /// </summary>
    private static char Simplify(char c) => TraditionalToSimplified.Map(c);

    internal static string LowerAscii(string text)
    {
        // Only ASCII: culture-aware lower-casing would turn "I" into "ı" under tr-TR.
        return string.Create(text.Length, text, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                span[i] = c is >= 'A' and <= 'Z' ? (char)(c + ('a' - 'A')) : c;
            }
        });
    }
}

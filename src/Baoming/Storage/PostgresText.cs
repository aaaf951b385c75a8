using System.Text;

namespace Baoming.Storage;

/// <summary>
/// What PostgreSQL refuses to store, taken out before it gets there: U+0000 (in <c>text</c> and as
/// the <c>\u0000</c> escape in <c>jsonb</c>, SQLSTATE 22P05) and UTF-16 surrogates without their
/// pair (Npgsql cannot encode them; <c>jsonb</c> refuses them as escapes). Everything else is kept
/// exactly, so a stored update is still what Telegram sent.
/// </summary>
public static class PostgresText
{
    /// <summary>The text without NUL characters, with each unpaired surrogate replaced by U+FFFD.</summary>
    public static string Clean(string text)
    {
        if (!NeedsCleaning(text))
        {
            return text;
        }

        var clean = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            AppendRaw(clean, text, ref i);
        }

        return clean.ToString();
    }

    /// <summary>
    /// JSON text as <c>jsonb</c> takes it: <c>\u0000</c> escapes dropped, unpaired surrogate escapes
    /// written as <c>\ufffd</c>, and the same for raw characters. Escaped backslashes are told apart
    /// (<c>\\u0000</c> is the six characters, not NUL). Fields, order and spacing are untouched.
    /// </summary>
    public static string CleanJson(string json)
    {
        if (!json.Contains("\\u", StringComparison.OrdinalIgnoreCase) && !NeedsCleaning(json))
        {
            return json;
        }

        var clean = new StringBuilder(json.Length);
        for (var i = 0; i < json.Length; i++)
        {
            var c = json[i];
            if (c != '\\' || i + 1 >= json.Length)
            {
                AppendRaw(clean, json, ref i);
                continue;
            }

            if (json[i + 1] != 'u' || !TryHex(json, i + 2, out var unit))
            {
                // Any other escape (\\, \", \n, ...) is copied whole, so its second character is never read as a start.
                clean.Append(c).Append(json[++i]);
                continue;
            }

            if (unit == 0)
            {
                i += 5;
            }
            else if (char.IsHighSurrogate((char)unit) && IsLowSurrogateEscapeAt(json, i + 6))
            {
                clean.Append(json, i, 12);
                i += 11;
            }
            else if (char.IsSurrogate((char)unit))
            {
                clean.Append("\\ufffd");
                i += 5;
            }
            else
            {
                clean.Append(json, i, 6);
                i += 5;
            }
        }

        // Unchanged (the usual case: escapes and emoji are fine), the caller gets its own string back.
        var cleaned = clean.ToString();
        return cleaned == json ? json : cleaned;
    }

    private static bool NeedsCleaning(string text)
    {
        foreach (var c in text)
        {
            if (c == '\0' || char.IsSurrogate(c))
            {
                return true;
            }
        }

        return false;
    }

    private static void AppendRaw(StringBuilder clean, string text, ref int i)
    {
        var c = text[i];
        if (c == '\0')
        {
            return;
        }

        if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
        {
            clean.Append(c).Append(text[++i]);
            return;
        }

        clean.Append(char.IsSurrogate(c) ? '\uFFFD' : c);
    }

    private static bool IsLowSurrogateEscapeAt(string json, int at) =>
        at + 1 < json.Length && json[at] == '\\' && json[at + 1] == 'u' && TryHex(json, at + 2, out var low) && char.IsLowSurrogate((char)low);

    private static bool TryHex(string text, int start, out int value)
    {
        value = 0;
        return start + 4 <= text.Length
            && int.TryParse(text.AsSpan(start, 4), System.Globalization.NumberStyles.AllowHexSpecifier, null, out value);
    }
}

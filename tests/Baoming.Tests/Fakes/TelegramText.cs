using System.Text;

namespace Baoming.Tests.Fakes;

/// <summary>
/// Telegram's entity parsing, closely enough to fail where Telegram fails: the text length limit is checked on the
/// text after entity parsing (counted in UTF-16 code units, as Telegram does), and HTML / MarkdownV2 that Telegram
/// would reject ("can't parse entities: …") is rejected.
/// </summary>
internal static class TelegramText
{
    private static readonly HashSet<string> HtmlTags = new(StringComparer.OrdinalIgnoreCase)
    {
        "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "span",
        "tg-spoiler", "tg-emoji", "blockquote",
    };

    /// <summary>Parses <paramref name="text"/> with <paramref name="parseMode"/>; on failure <paramref name="error"/> is Telegram's description.</summary>
    public static bool TryParse(string text, string? parseMode, out string plain, out string? error)
    {
        error = null;
        if (string.IsNullOrEmpty(parseMode))
        {
            plain = text;
            return true;
        }

        if (parseMode.Equals("HTML", StringComparison.OrdinalIgnoreCase))
            return TryParseHtml(text, out plain, out error);
        if (parseMode.Equals("MarkdownV2", StringComparison.OrdinalIgnoreCase))
            return TryParseMarkdownV2(text, out plain, out error);
        if (parseMode.Equals("Markdown", StringComparison.OrdinalIgnoreCase))
        {
            plain = text.Replace("*", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).Replace("`", "", StringComparison.Ordinal);
            return true;
        }

        plain = text;
        error = "Bad Request: unsupported parse_mode";
        return false;
    }

    private static int ByteOffset(string text, int index) => Encoding.UTF8.GetByteCount(text.AsSpan(0, index));

    private static bool TryParseHtml(string text, out string plain, out string? error)
    {
        var sb = new StringBuilder(text.Length);
        var open = new Stack<string>();
        error = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '<')
            {
                var end = text.IndexOf('>', i + 1);
                if (end < 0)
                {
                    plain = "";
                    error = $"Bad Request: can't parse entities: Unclosed start tag at byte offset {ByteOffset(text, i)}";
                    return false;
                }

                var inner = text.AsSpan(i + 1, end - i - 1).Trim();
                if (inner.Length > 0 && inner[0] == '/')
                {
                    var name = inner[1..].Trim().ToString().ToLowerInvariant();
                    if (open.Count == 0)
                    {
                        plain = "";
                        error = $"Bad Request: can't parse entities: Unexpected end tag at byte offset {ByteOffset(text, i)}";
                        return false;
                    }

                    if (!string.Equals(open.Peek(), name, StringComparison.OrdinalIgnoreCase))
                    {
                        plain = "";
                        error = $"Bad Request: can't parse entities: Can't find end tag corresponding to start tag \"{open.Peek()}\"";
                        return false;
                    }

                    open.Pop();
                }
                else
                {
                    var nameEnd = inner.IndexOfAny(' ', '\t', '\n');
                    var name = (nameEnd < 0 ? inner : inner[..nameEnd]).ToString().ToLowerInvariant();
                    if (name.Length == 0 || !HtmlTags.Contains(name))
                    {
                        plain = "";
                        error = $"Bad Request: can't parse entities: Unsupported start tag \"{name}\" at byte offset {ByteOffset(text, i)}";
                        return false;
                    }

                    open.Push(name);
                }

                i = end;
                continue;
            }

            if (c == '&')
            {
                var semi = text.IndexOf(';', i + 1);
                if (semi > i + 1 && semi - i <= 10 && TryDecodeEntity(text.AsSpan(i + 1, semi - i - 1), sb))
                {
                    i = semi;
                    continue;
                }
            }

            sb.Append(c);
        }

        if (open.Count > 0)
        {
            plain = "";
            error = $"Bad Request: can't parse entities: Can't find end tag corresponding to start tag \"{open.Peek()}\"";
            return false;
        }

        plain = sb.ToString();
        return true;
    }

    private static bool TryDecodeEntity(ReadOnlySpan<char> name, StringBuilder sb)
    {
        switch (name)
        {
            case "lt": sb.Append('<'); return true;
            case "gt": sb.Append('>'); return true;
            case "amp": sb.Append('&'); return true;
            case "quot": sb.Append('"'); return true;
        }

        if (name.Length >= 2 && name[0] == '#')
        {
            var hex = name[1] is 'x' or 'X';
            var digits = hex ? name[2..] : name[1..];
            if (int.TryParse(digits, hex ? System.Globalization.NumberStyles.HexNumber : System.Globalization.NumberStyles.None, null, out var code)
                && code is > 0 and <= 0x10FFFF)
            {
                sb.Append(char.ConvertFromUtf32(code));
                return true;
            }
        }

        return false;
    }

    private static bool TryParseMarkdownV2(string text, out string plain, out string? error)
    {
        var sb = new StringBuilder(text.Length);
        var openAt = new Dictionary<string, int>(); // entity kind → index of its opening marker
        var linkOpen = -1;
        error = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\')
            {
                if (i + 1 < text.Length)
                {
                    sb.Append(text[i + 1]);
                    i++;
                }
                else
                {
                    sb.Append(c);
                }

                continue;
            }

            switch (c)
            {
                case '`':
                    {
                        var pre = string.CompareOrdinal(text, i, "```", 0, 3) == 0;
                        var marker = pre ? "```" : "`";
                        var start = i + marker.Length;
                        var close = FindUnescaped(text, marker, start);
                        if (close < 0)
                        {
                            plain = "";
                            error = $"Bad Request: can't parse entities: Can't find end of {(pre ? "PreCode" : "Code")} entity at byte offset {ByteOffset(text, i)}";
                            return false;
                        }

                        var content = text[start..close];
                        if (pre)
                        {
                            var newline = content.IndexOf('\n', StringComparison.Ordinal);
                            if (newline >= 0 && !content[..newline].Contains(' ', StringComparison.Ordinal))
                                content = content[(newline + 1)..]; // language line
                        }

                        sb.Append(content.Replace("\\`", "`", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal));
                        i = close + marker.Length - 1;
                        continue;
                    }
                case '*' or '~':
                    Toggle(c == '*' ? "Bold" : "Strikethrough", i);
                    continue;
                case '_':
                    if (i + 1 < text.Length && text[i + 1] == '_')
                    {
                        Toggle("Underline", i);
                        i++;
                    }
                    else
                    {
                        Toggle("Italic", i);
                    }

                    continue;
                case '|' when i + 1 < text.Length && text[i + 1] == '|':
                    Toggle("Spoiler", i);
                    i++;
                    continue;
                case '[':
                    if (linkOpen >= 0)
                        return Reserved(c, out plain, out error);
                    linkOpen = i;
                    continue;
                case ']' when linkOpen >= 0:
                    {
                        linkOpen = -1;
                        if (i + 1 < text.Length && text[i + 1] == '(')
                        {
                            var close = FindUnescaped(text, ")", i + 2);
                            if (close < 0)
                                return Reserved('(', out plain, out error);
                            i = close;
                        }

                        continue;
                    }
                case '!' when i + 1 < text.Length && text[i + 1] == '[':
                    continue; // custom emoji ![👍](tg://emoji?id=…)
                case '>' when i == 0 || text[i - 1] == '\n':
                    continue; // block quotation
                case '_' or '*' or '[' or ']' or '(' or ')' or '~' or '`' or '>' or '#' or '+' or '-' or '=' or '|' or '{' or '}' or '.' or '!':
                    return Reserved(c, out plain, out error);
                default:
                    sb.Append(c);
                    continue;
            }
        }

        if (linkOpen >= 0)
        {
            plain = "";
            error = $"Bad Request: can't parse entities: Can't find end of TextUrl entity at byte offset {ByteOffset(text, linkOpen)}";
            return false;
        }

        foreach (var (kind, at) in openAt)
        {
            plain = "";
            error = $"Bad Request: can't parse entities: Can't find end of {kind} entity at byte offset {ByteOffset(text, at)}";
            return false;
        }

        plain = sb.ToString();
        return true;

        void Toggle(string kind, int at)
        {
            if (!openAt.Remove(kind))
                openAt[kind] = at;
        }
    }

    private static bool Reserved(char c, out string plain, out string? error)
    {
        plain = "";
        error = $"Bad Request: can't parse entities: Character '{c}' is reserved and must be escaped with the preceding '\\'";
        return false;
    }

    private static int FindUnescaped(string text, string marker, int from)
    {
        for (var i = from; i <= text.Length - marker.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
                continue;
            }

            if (string.CompareOrdinal(text, i, marker, 0, marker.Length) == 0)
                return i;
        }

        return -1;
    }
}

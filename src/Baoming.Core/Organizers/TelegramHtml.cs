using System.Text;

namespace Baoming.Core.Organizers;

/// <summary>The result of checking a broadcast's text: its visible length, or where the markup is broken.</summary>
public sealed record HtmlCheck(int VisibleLength, string? Problem)
{
    public bool IsValid => Problem is null;
}

/// <summary>
/// Checks text against Telegram's HTML parse mode before anything is sent
/// (https://core.telegram.org/bots/api#html-style): only the supported tags, properly nested and
/// closed, and "&lt;", "&gt;", "&amp;" escaped as entities. Telegram would refuse the whole message
/// otherwise — after the first recipient, which is too late for a broadcast.
/// </summary>
public static class TelegramHtml
{
    /// <summary>Telegram's limit, counted on the text after entity parsing, in UTF-16 code units.</summary>
    public const int MaxLength = 4096;

    private static readonly HashSet<string> Tags = new(StringComparer.OrdinalIgnoreCase)
    {
        "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "tg-spoiler", "span", "blockquote", "tg-emoji",
    };

    private static readonly Dictionary<string, string> NamedEntities = new(StringComparer.Ordinal)
    {
        ["lt"] = "<",
        ["gt"] = ">",
        ["amp"] = "&",
        ["quot"] = "\"",
    };

    public static HtmlCheck Check(string text, Language language = Language.Chinese)
    {
        ArgumentNullException.ThrowIfNull(text);
        string Pick(string zh, string en) => language == Language.English ? en : zh;
        var visible = 0;
        var open = new Stack<string>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '<')
            {
                var end = text.IndexOf('>', i + 1);
                if (end < 0)
                {
                    return new HtmlCheck(visible, Pick($"“<” 没有配对的 “>”（第 {i + 1} 个字符）；要显示 < 请写 &lt;", $"\"<\" at character {i + 1} is never closed by \">\"; write &lt; to show <"));
                }

                var inner = text[(i + 1)..end].Trim();
                var isClosing = inner.StartsWith('/');
                var name = (isClosing ? inner[1..] : inner).Split(' ', 2)[0].TrimEnd('/').ToLowerInvariant();
                if (!Tags.Contains(name))
                {
                    return new HtmlCheck(visible, Pick($"不支持的标签 <{Clip(inner)}>；可用 b、i、u、s、a、code、pre、tg-spoiler，要显示 < 请写 &lt;", $"unsupported tag <{Clip(inner)}>; use b, i, u, s, a, code, pre, tg-spoiler, and write &lt; to show <"));
                }

                if (isClosing)
                {
                    if (open.Count == 0 || open.Peek() != name)
                    {
                        return new HtmlCheck(visible, open.Count == 0 ? Pick($"多余的结束标签 </{name}>", $"</{name}> closes nothing") : Pick($"标签没有按顺序关闭：应先关闭 <{open.Peek()}>，却遇到 </{name}>", $"tags closed out of order: </{name}> while <{open.Peek()}> is open"));
                    }

                    open.Pop();
                }
                else if (name == "a" && !inner.Contains("href=", StringComparison.OrdinalIgnoreCase))
                {
                    return new HtmlCheck(visible, Pick("<a> 标签缺少 href，例如 <a href=\"https://example.com\">链接</a>", "<a> needs an href, e.g. <a href=\"https://example.com\">link</a>"));
                }
                else
                {
                    open.Push(name);
                }

                i = end + 1;
            }
            else if (c == '>')
            {
                return new HtmlCheck(visible, Pick($"多余的 “>”（第 {i + 1} 个字符）；要显示 > 请写 &gt;", $"stray \">\" at character {i + 1}; write &gt; to show >"));
            }
            else if (c == '&')
            {
                var end = text.IndexOf(';', i + 1);
                if (end < 0 || end - i > 10 || !IsEntity(text[(i + 1)..end]))
                {
                    return new HtmlCheck(visible, Pick($"“&” 需要写成 &amp;（第 {i + 1} 个字符）", $"\"&\" at character {i + 1} must be written &amp;"));
                }

                visible++;
                i = end + 1;
            }
            else
            {
                visible++;
                i++;
            }
        }

        return open.Count > 0
            ? new HtmlCheck(visible, Pick($"标签 <{open.Peek()}> 没有关闭", $"<{open.Peek()}> is never closed"))
            : new HtmlCheck(visible, null);
    }

    /// <summary>The text as a member reads it: tags dropped, entities decoded (for the shell, and CSVs).</summary>
    public static string ToPlain(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        var plain = new StringBuilder(html.Length);
        var i = 0;
        while (i < html.Length)
        {
            var c = html[i];
            int end;
            if (c == '<' && (end = html.IndexOf('>', i + 1)) > 0)
            {
                i = end + 1;
            }
            else if (c == '&' && (end = html.IndexOf(';', i + 1)) > 0 && NamedEntities.TryGetValue(html[(i + 1)..end], out var decoded))
            {
                plain.Append(decoded);
                i = end + 1;
            }
            else
            {
                plain.Append(c);
                i++;
            }
        }

        return plain.ToString();
    }

    /// <summary>Escapes plain text for HTML parse mode.</summary>
    public static string Escape(string text) =>
        (text ?? "").Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private static bool IsEntity(string name) =>
        NamedEntities.ContainsKey(name)
        || (name.Length > 1 && name[0] == '#' && (name[1..].All(char.IsAsciiDigit) || (name.Length > 2 && name[1] is 'x' or 'X' && name[2..].All(char.IsAsciiHexDigit))));

    private static string Clip(string text) => text.Length <= 20 ? text : text[..20] + "…";
}

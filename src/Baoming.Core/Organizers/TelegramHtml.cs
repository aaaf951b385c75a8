using System.Globalization;
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
/// closed, each with only the attributes Telegram gives a meaning (a link's URL, a spoiler's class,
/// a code block's language, a custom emoji's id, an expandable quote), and "&lt;", "&gt;", "&amp;"
/// escaped as entities that name real characters. Telegram would refuse the whole message otherwise —
/// after the first recipient, which is too late for a broadcast — or silently drop what it ignores.
/// </summary>
public static class TelegramHtml
{
    /// <summary>Telegram's limit, counted on the text after entity parsing, in UTF-16 code units.</summary>
    public const int MaxLength = 4096;

    /// <summary>The tags Telegram supports, each with the attributes it reads; any other attribute is refused.</summary>
    private static readonly Dictionary<string, string[]> Tags = new(StringComparer.OrdinalIgnoreCase)
    {
        ["b"] = [],
        ["strong"] = [],
        ["i"] = [],
        ["em"] = [],
        ["u"] = [],
        ["ins"] = [],
        ["s"] = [],
        ["strike"] = [],
        ["del"] = [],
        ["tg-spoiler"] = [],
        ["pre"] = [],
        ["a"] = ["href"],
        ["span"] = ["class"],
        ["code"] = ["class"],
        ["tg-emoji"] = ["emoji-id"],
        ["blockquote"] = ["expandable"],
    };

    /// <summary>The only named entities Telegram decodes; every numeric one is decoded too.</summary>
    private static readonly Dictionary<string, string> NamedEntities = new(StringComparer.Ordinal)
    {
        ["lt"] = "<",
        ["gt"] = ">",
        ["amp"] = "&",
        ["quot"] = "\"",
    };

    /// <summary>Link schemes Telegram opens from a message: web pages, its own tg:// links, e-mail.</summary>
    private static readonly string[] LinkSchemes = ["http", "https", "tg", "mailto"];

    /// <summary>An entity is at most "&amp;#x10FFFF;" or "&amp;#1114111;" long, ";" included.</summary>
    private const int MaxEntityLength = 10;

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
                if (text.IndexOf('>', i + 1) < 0)
                {
                    return new HtmlCheck(visible, Pick($"“<” 没有配对的 “>”（第 {i + 1} 个字符）；要显示 < 请写 &lt;", $"\"<\" at character {i + 1} is never closed by \">\"; write &lt; to show <"));
                }

                var tag = ReadTag(text, i);
                if (tag.Name.Length == 0 || !Tags.TryGetValue(tag.Name, out var allowed))
                {
                    var inner = text[(i + 1)..text.IndexOf('>', i + 1)].Trim();
                    return new HtmlCheck(visible, Pick($"不支持的标签 <{Clip(inner)}>；可用 b、i、u、s、a、code、pre、blockquote、tg-spoiler，要显示 < 请写 &lt;", $"unsupported tag <{Clip(inner)}>; use b, i, u, s, a, code, pre, blockquote, tg-spoiler, and write &lt; to show <"));
                }

                if (tag.UnclosedQuoteAt is { } quote)
                {
                    return new HtmlCheck(visible, Pick($"<{tag.Name}> 的属性值从第 {quote + 1} 个字符开始的引号没有关闭", $"the attribute value of <{tag.Name}> opened at character {quote + 1} is missing its closing quote"));
                }

                if (tag.End < 0)
                {
                    return new HtmlCheck(visible, Pick($"标签 <{tag.Name}> 的写法有误（第 {i + 1} 个字符）；属性应写成 名称=\"值\"", $"the tag <{tag.Name}> at character {i + 1} is malformed; write attributes as name=\"value\""));
                }

                if (tag.IsClosing)
                {
                    if (open.Count == 0 || open.Peek() != tag.Name)
                    {
                        return new HtmlCheck(visible, open.Count == 0 ? Pick($"多余的结束标签 </{tag.Name}>", $"</{tag.Name}> closes nothing") : Pick($"标签没有按顺序关闭：应先关闭 <{open.Peek()}>，却遇到 </{tag.Name}>", $"tags closed out of order: </{tag.Name}> while <{open.Peek()}> is open"));
                    }

                    open.Pop();
                }
                else
                {
                    if (tag.Attributes.FirstOrDefault(a => !allowed.Contains(a.Name, StringComparer.Ordinal)) is { Name: { } stray })
                    {
                        return new HtmlCheck(visible, allowed.Length == 0
                            ? Pick($"标签 <{tag.Name}> 不能带属性（{stray}）", $"<{tag.Name}> takes no attributes ({stray})")
                            : Pick($"标签 <{tag.Name}> 只能带 {allowed[0]} 属性，不能带 {stray}", $"<{tag.Name}> takes only {allowed[0]}, not {stray}"));
                    }

                    if (CheckAttributes(tag, open.Count > 0 ? open.Peek() : null, language) is { } problem)
                    {
                        return new HtmlCheck(visible, problem);
                    }

                    open.Push(tag.Name);
                }

                i = tag.End + 1;
            }
            else if (c == '>')
            {
                return new HtmlCheck(visible, Pick($"多余的 “>”（第 {i + 1} 个字符）；要显示 > 请写 &gt;", $"stray \">\" at character {i + 1}; write &gt; to show >"));
            }
            else if (c == '&')
            {
                var end = text.IndexOf(';', i + 1);
                var entity = end < 0 || end - i > MaxEntityLength ? null : text[i..(end + 1)];
                if (entity is null || !(entity.StartsWith("&#", StringComparison.Ordinal) || NamedEntities.ContainsKey(entity[1..^1])))
                {
                    return new HtmlCheck(visible, Pick($"“&” 需要写成 &amp;（第 {i + 1} 个字符）", $"\"&\" at character {i + 1} must be written &amp;"));
                }

                if (Decode(entity[1..^1]) is not { } decoded)
                {
                    return new HtmlCheck(visible, Pick($"{entity} 不是有效的字符（第 {i + 1} 个字符）；要显示 & 请写 &amp;", $"{entity} at character {i + 1} is not a valid character; write &amp; to show &"));
                }

                visible += decoded.Length;
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
        return Unescape(html, dropTags: true);
    }

    /// <summary>Escapes plain text for HTML parse mode.</summary>
    public static string Escape(string text) =>
        (text ?? "").Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    /// <summary>Decodes the entities Telegram decodes (an attribute's value is decoded too); anything else stays as written.</summary>
    private static string Unescape(string html, bool dropTags)
    {
        var plain = new StringBuilder(html.Length);
        var i = 0;
        while (i < html.Length)
        {
            var c = html[i];
            int end;
            if (dropTags && c == '<' && (end = html.IndexOf('>', i + 1)) > 0)
            {
                i = end + 1;
            }
            else if (c == '&' && (end = html.IndexOf(';', i + 1)) > 0 && end - i <= MaxEntityLength && Decode(html[(i + 1)..end]) is { } decoded)
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

    /// <summary>What Telegram asks of the attributes of each tag that has any.</summary>
    private static string? CheckAttributes(Tag tag, string? parent, Language language)
    {
        string Pick(string zh, string en) => language == Language.English ? en : zh;
        string? Value(string name) => tag.Attributes.LastOrDefault(a => a.Name == name)?.Value;
        switch (tag.Name)
        {
            case "a":
                var href = Value("href");
                if (string.IsNullOrEmpty(href))
                {
                    return Pick("<a> 标签缺少 href，例如 <a href=\"https://example.com\">链接</a>", "<a> needs an href, e.g. <a href=\"https://example.com\">link</a>");
                }

                return IsLink(href) ? null : Pick($"链接 “{Clip(href)}” 不是有效的网址；href 须以 https://、http://、tg:// 或 mailto: 开头", $"the link \"{Clip(href)}\" is not a valid URL; an href starts with https://, http://, tg:// or mailto:");

            case "span":
                return Value("class") == "tg-spoiler" ? null : Pick("<span> 必须写成 <span class=\"tg-spoiler\">（剧透）；Telegram 不支持其他 span", "<span> needs class=\"tg-spoiler\" (a spoiler); Telegram supports no other span");

            case "code" when Value("class") is { } codeClass:
                if (!codeClass.StartsWith("language-", StringComparison.Ordinal) || codeClass.Length == "language-".Length)
                {
                    return Pick($"<code> 的 class 只能是 language-语言名，例如 class=\"language-python\"，而不是 “{Clip(codeClass)}”", $"the class of <code> can only be language-NAME, e.g. class=\"language-python\", not \"{Clip(codeClass)}\"");
                }

                return parent == "pre" ? null : Pick("只有放在 <pre> 里的 <code> 才能指定语言：<pre><code class=\"language-python\">…</code></pre>", "only a <code> inside <pre> can name a language: <pre><code class=\"language-python\">…</code></pre>");

            case "tg-emoji":
                return ulong.TryParse(Value("emoji-id"), NumberStyles.None, CultureInfo.InvariantCulture, out _)
                    ? null
                    : Pick("<tg-emoji> 需要数字的 emoji-id，例如 <tg-emoji emoji-id=\"5368324170671202286\">👍</tg-emoji>", "<tg-emoji> needs a numeric emoji-id, e.g. <tg-emoji emoji-id=\"5368324170671202286\">👍</tg-emoji>");

            default:
                return null;
        }
    }

    private static bool IsLink(string href) =>
        Uri.TryCreate(href, UriKind.Absolute, out var uri)
        && LinkSchemes.Contains(uri.Scheme, StringComparer.OrdinalIgnoreCase)
        && (uri.Scheme is not ("http" or "https") || uri.Host.Length > 0);

    /// <summary>
    /// Reads the tag starting at <paramref name="start"/> ("&lt;"): its lower-case name, whether it closes, its
    /// attributes (lower-case names, values with entities decoded; a bare one such as <c>expandable</c> has the
    /// value ""), and the index of its "&gt;" (-1 when it is malformed).
    /// </summary>
    private static Tag ReadTag(string text, int start)
    {
        var i = start + 1;
        var isClosing = i < text.Length && text[i] == '/';
        if (isClosing)
        {
            i++;
        }

        var name = ReadName(text, ref i);
        var attributes = new List<TagAttribute>();
        while (true)
        {
            SkipSpace(text, ref i);
            if (i >= text.Length)
            {
                return new Tag(name, isClosing, attributes, -1);
            }

            if (text[i] == '>')
            {
                return new Tag(name, isClosing, attributes, i);
            }

            var attribute = ReadName(text, ref i);
            if (attribute.Length == 0 || isClosing)
            {
                return new Tag(name, isClosing, attributes, -1);
            }

            SkipSpace(text, ref i);
            var value = "";
            if (i < text.Length && text[i] == '=')
            {
                i++;
                SkipSpace(text, ref i);
                if (i < text.Length && text[i] is '"' or '\'')
                {
                    var close = text.IndexOf(text[i], i + 1);
                    if (close < 0)
                    {
                        return new Tag(name, isClosing, attributes, -1) { UnclosedQuoteAt = i };
                    }

                    value = text[(i + 1)..close];
                    i = close + 1;
                }
                else
                {
                    var from = i;
                    while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] != '>')
                    {
                        i++;
                    }

                    value = text[from..i];
                }
            }

            attributes.Add(new TagAttribute(attribute, Unescape(value, dropTags: false)));
        }
    }

    private static string ReadName(string text, ref int i)
    {
        var from = i;
        while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '-' or '_'))
        {
            i++;
        }

        return text[from..i].ToLowerInvariant();
    }

    private static void SkipSpace(string text, ref int i)
    {
        while (i < text.Length && char.IsWhiteSpace(text[i]))
        {
            i++;
        }
    }

    /// <summary>
    /// The text an entity name (between "&amp;" and ";") stands for, or null: one of the four named entities, or a
    /// decimal or hexadecimal code point that is a Unicode scalar value (not 0, not a surrogate, at most U+10FFFF).
    /// </summary>
    private static string? Decode(string name)
    {
        if (NamedEntities.TryGetValue(name, out var named))
        {
            return named;
        }

        if (!name.StartsWith('#'))
        {
            return null;
        }

        var isHex = name.Length > 1 && name[1] is 'x' or 'X';
        var digits = name[(isHex ? 2 : 1)..];
        var isNumber = digits.Length > 0 && (isHex ? digits.All(char.IsAsciiHexDigit) : digits.All(char.IsAsciiDigit));
        return isNumber
            && int.TryParse(digits, isHex ? NumberStyles.AllowHexSpecifier : NumberStyles.None, CultureInfo.InvariantCulture, out var code)
            && code > 0 && Rune.IsValid(code)
                ? char.ConvertFromUtf32(code)
                : null;
    }

    private static string Clip(string text) => text.Length <= 20 ? text : text[..20] + "…";

    private sealed record TagAttribute(string Name, string Value);

    private sealed record Tag(string Name, bool IsClosing, IReadOnlyList<TagAttribute> Attributes, int End)
    {
        public int? UnclosedQuoteAt { get; init; }
    }
}

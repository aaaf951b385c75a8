using System.Text;

namespace Baoming.Core.Understanding;

/// <summary>
/// Turns a private-chat text into an <see cref="Intent"/>. Phrases are recognised only at the
/// start of the message, so a sentence that merely mentions 报名 is <see cref="Intent.Unknown"/>:
/// the bot asks rather than guesses.
/// </summary>
public static class MessageParser
{
    private const int MaxPayloadLength = 64;

    // Longest first, so "取消报名" is consumed whole rather than leaving "报名" as the query.
    private static readonly string[] CancelPrefixes = ["取消报名", "取消", "cancel"];

    private static readonly string[] SignUpPrefixes = ["报名", "sign up", "sign-up", "signup", "register", "join"];

    private static readonly string[] PolitePrefixes = ["我想要", "我要", "我想"];

    private static readonly HashSet<string> MySignupsPhrases = new(StringComparer.Ordinal)
    {
        "我的报名", "我报了什么", "我报名了什么", "查看报名", "查看我的报名",
        "my", "my signups", "my sign-ups", "my sign ups", "my registrations",
    };

    private static readonly string[] LeadingFillers =
        ["那一场", "这一场", "那场", "这场", "一下", "参加", "for", "the", "to"];

    // "场" alone is handled separately: stripping it everywhere would eat the end of words like 市场.
    private static readonly string[] TrailingFillers =
        ["那一场", "这一场", "那场", "这场", "一下", "的", "吧", "呀", "啊", "session", "please", "one"];

    public static Intent Parse(string? text)
    {
        var cleaned = TextNormalizer.Clean(text);
        if (cleaned.Length == 0)
        {
            return new Intent.Unknown();
        }

        return cleaned[0] == '/'
            ? ParseCommand(cleaned)
            : ParsePhrase(TextNormalizer.LowerAscii(cleaned));
    }

    /// <summary>The bot a command is addressed to ("/signup@SomeBot" → "SomeBot"), or null for text that names none.</summary>
    public static string? CommandAddressee(string? text)
    {
        var cleaned = TextNormalizer.Clean(text);
        if (cleaned.Length == 0 || cleaned[0] != '/')
        {
            return null;
        }

        var space = cleaned.IndexOf(' ', StringComparison.Ordinal);
        var head = space < 0 ? cleaned[1..] : cleaned[1..space];
        var at = head.IndexOf('@', StringComparison.Ordinal);
        return at < 0 ? null : head[(at + 1)..];
    }

    /// <summary>"/name[@bot] [argument]"; the argument keeps its case because deep-link payloads are case-sensitive.</summary>
    private static Intent ParseCommand(string cleaned)
    {
        var space = cleaned.IndexOf(' ', StringComparison.Ordinal);
        var head = space < 0 ? cleaned[1..] : cleaned[1..space];
        var argument = space < 0 ? "" : cleaned[(space + 1)..];

        var at = head.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0 && !IsBotUsername(head.AsSpan(at + 1)))
        {
            return new Intent.Unknown();
        }

        var name = TextNormalizer.LowerAscii(at < 0 ? head : head[..at]);
        return name switch
        {
            "start" => new Intent.Start(IsValidPayload(argument) ? argument : null),
            "signup" => new Intent.SignUp(ExtractQuery(TextNormalizer.LowerAscii(argument))),
            "cancel" => new Intent.Cancel(ExtractQuery(TextNormalizer.LowerAscii(argument))),
            "my" => new Intent.MySignups(),
            "help" => new Intent.Help(),
            _ when IsCommandName(name) => new Intent.Command(name, argument.Length == 0 ? null : argument),
            _ => new Intent.Unknown(),
        };
    }

    /// <summary>Telegram's rule for bot command names: 1-32 of a-z, 0-9 and _.</summary>
    private static bool IsCommandName(string name) =>
        name.Length is >= 1 and <= 32 && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_');

    private static Intent ParsePhrase(string normalized)
    {
        var bare = TrimNoise(normalized);
        if (bare is "帮助" or "help" || IsOnlyQuestionMarks(normalized))
        {
            return new Intent.Help();
        }

        if (MySignupsPhrases.Contains(bare))
        {
            return new Intent.MySignups();
        }

        var body = StripPolitePrefix(TrimNoise(normalized, trimEnd: false));

        // Cancel first: "取消报名" also starts like a sign-up phrase would once 取消 is ignored.
        if (TryStripPrefix(body, CancelPrefixes, out var cancelRest))
        {
            return new Intent.Cancel(ExtractQuery(cancelRest));
        }

        if (TryStripPrefix(body, SignUpPrefixes, out var signUpRest))
        {
            return new Intent.SignUp(ExtractQuery(signUpRest));
        }

        return new Intent.Unknown();
    }

    private static string StripPolitePrefix(string text)
    {
        foreach (var prefix in PolitePrefixes)
        {
            if (text.StartsWith(prefix, StringComparison.Ordinal))
            {
                return text[prefix.Length..].TrimStart();
            }
        }

        return text;
    }

    /// <summary>
    /// Matches a phrase at the start of <paramref name="text"/>; an ASCII phrase must end at a word
    /// boundary so "joiner" or "registered" is not a sign-up.
    /// </summary>
    private static bool TryStripPrefix(string text, string[] prefixes, out string rest)
    {
        foreach (var prefix in prefixes)
        {
            if (!text.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var isAsciiWord = char.IsAsciiLetter(prefix[^1]);
            if (isAsciiWord && text.Length > prefix.Length && char.IsAsciiLetterOrDigit(text[prefix.Length]))
            {
                continue;
            }

            rest = text[prefix.Length..];
            return true;
        }

        rest = "";
        return false;
    }

    /// <summary>What follows the phrase, without the filler around it ("2月17日那场吧！" → "2月17日"); null when nothing is left.</summary>
    private static string? ExtractQuery(string rest)
    {
        var query = rest;
        string previous;
        do
        {
            previous = query;
            query = TrimNoise(query);
            query = StripLeadingFiller(query);
            query = StripTrailingFiller(query);
        }
        while (query.Length != previous.Length);

        return query.Length == 0 ? null : query;
    }

    private static string StripLeadingFiller(string text)
    {
        foreach (var filler in LeadingFillers)
        {
            if (text.StartsWith(filler, StringComparison.Ordinal) && EndsWordAt(text, filler, filler.Length))
            {
                return text[filler.Length..];
            }
        }

        return text;
    }

    private static string StripTrailingFiller(string text)
    {
        foreach (var filler in TrailingFillers)
        {
            if (text.EndsWith(filler, StringComparison.Ordinal) && StartsWordAt(text, filler, text.Length - filler.Length))
            {
                return text[..^filler.Length];
            }
        }

        // "17号场", "2.17场": a lone 场 is filler only right after a date.
        if (text.Length >= 2 && text[^1] == '场' && (char.IsAsciiDigit(text[^2]) || text[^2] is '日' or '号'))
        {
            return text[..^1];
        }

        return text;
    }

    // English fillers are whole words ("forum" does not lose "for"); Chinese ones have no word boundaries.
    private static bool EndsWordAt(string text, string filler, int index) =>
        !char.IsAsciiLetter(filler[0]) || index == text.Length || !char.IsAsciiLetterOrDigit(text[index]);

    private static bool StartsWordAt(string text, string filler, int index) =>
        !char.IsAsciiLetter(filler[0]) || index == 0 || !char.IsAsciiLetterOrDigit(text[index - 1]);

    private static bool IsOnlyQuestionMarks(string text) =>
        text.Length > 0 && text.AsSpan().IndexOfAnyExcept('?') < 0;

    /// <summary>Strips spaces, punctuation and symbols (emoji included) from the edges.</summary>
    private static string TrimNoise(string text, bool trimEnd = true)
    {
        var start = 0;
        while (start < text.Length
            && Rune.DecodeFromUtf16(text.AsSpan(start), out var rune, out var length) == System.Buffers.OperationStatus.Done
            && IsNoise(rune))
        {
            start += length;
        }

        var end = text.Length;
        while (trimEnd && end > start
            && Rune.DecodeLastFromUtf16(text.AsSpan(start, end - start), out var rune, out var length) == System.Buffers.OperationStatus.Done
            && IsNoise(rune))
        {
            end -= length;
        }

        return text[start..end];
    }

    private static bool IsNoise(Rune rune) =>
        Rune.IsWhiteSpace(rune)
        || Rune.IsPunctuation(rune)
        || Rune.IsSymbol(rune)
        || Rune.GetUnicodeCategory(rune) == System.Globalization.UnicodeCategory.SpaceSeparator
        || rune.Value is (>= 0xFE00 and <= 0xFE0F) or (>= 0xE0100 and <= 0xE01EF); // emoji variation selectors

    private static bool IsBotUsername(ReadOnlySpan<char> name) =>
        name.Length is > 0 and <= 64 && IsWordChars(name, allowDash: false);

    private static bool IsValidPayload(string payload) =>
        payload.Length is > 0 and <= MaxPayloadLength && IsWordChars(payload, allowDash: true);

    private static bool IsWordChars(ReadOnlySpan<char> text, bool allowDash)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_' && !(allowDash && c == '-'))
            {
                return false;
            }
        }

        return true;
    }
}

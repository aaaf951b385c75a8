using System.Text;

namespace Baoming.Core.Understanding;

/// <summary>
/// Turns a private-chat text into an <see cref="Intent"/>. The wish (报名, 参加, 预约 …, 取消, 我的报名)
/// and the session may stand anywhere in a short message, in either order, with subjects, helpers,
/// measure words, particles and punctuation around them: "元宇宙那场报名", "麻烦帮我报个名 2月17日",
/// "我想参加元宇宙那场". What is left once the wish and the filler are taken out is the query that
/// <see cref="SessionMatcher"/> reads.
/// </summary>
/// <remarks>
/// The rule that keeps sign-ups safe: a question (吗, 呢, ?, 多少, 几, 是否, 有没有, 能不能, 怎么 …) or a
/// message about the sign-ups rather than a wish (报名人数, 名额, 截止, someone else's sign-up) is at most
/// <see cref="Intent.Ask"/>: the bot offers buttons and never signs up on it. A negated or past-tense
/// mention (不想报名, 别报名, 没报名, 报名不了, 已经报名了) is <see cref="Intent.Unknown"/>. Cancel phrases
/// (取消, 不去了, 去不了 …) are looked for before negations, and a cancel that is a question only offers
/// the cancel buttons. A message longer than <see cref="MaxFreeFormLength"/> is a letter, not a request:
/// there the wish counts only at its start. And when a wish names one session but carries words the bot
/// does not understand (<see cref="SessionMatcher.IsOnlyAbout"/>), the conversation offers that session's
/// button ("要报名「…」吗？") rather than guess.
/// </remarks>
public static class MessageParser
{
    private const int MaxPayloadLength = 64;

    private const int MaxFreeFormLength = 80;

    private static readonly HashSet<string> MySignupsPhrases = new(StringComparer.Ordinal)
    {
        "我的报名", "我报了什么", "我报名了什么", "查看报名", "查看我的报名",
        "my", "my signups", "my sign-ups", "my sign ups", "my registrations",
    };

    public static Intent Parse(string? text)
    {
        var cleaned = TextNormalizer.Clean(text);
        if (cleaned.Length == 0)
        {
            return new Intent.Unknown();
        }

        if (cleaned[0] == '/')
        {
            return ParseCommand(cleaned);
        }

        return ParseNote(text!) ?? ParsePhrase(TextNormalizer.LowerAscii(cleaned));
    }

    /// <summary>
    /// "留言 …" or "建议 …" at the very start: a word to the organizers, whatever follows. The note keeps the
    /// reader's own characters (Traditional, full-width), only the word, the separator after it and the
    /// surrounding spaces go; the word itself is compared in its Simplified form so 建議 counts too.
    /// </summary>
    private static Intent.Note? ParseNote(string text)
    {
        // Zero-width marks pasted before the word would hide it; the note itself is kept as typed.
        var trimmed = text.Trim().TrimStart('\u200B', '\u200C', '\u200D', '\u200E', '\u200F', '\uFEFF').TrimStart();
        if (trimmed.Length < 2 || !Phrases.IsNoteWord(TraditionalToSimplified.Map(trimmed[0]), TraditionalToSimplified.Map(trimmed[1]))
            || (trimmed.Length > 2 && Phrases.IsNoteCompound(TraditionalToSimplified.Map(trimmed[2]))))
        {
            // "留言板在哪" asks about a thing, it is no word to the organizers.
            return null;
        }

        var rest = trimmed[2..].TrimStart();
        if (rest.Length > 0 && rest[0] is ':' or '：' or ',' or '，' or '-' or '—')
        {
            rest = rest[1..].Trim();
        }

        return new Intent.Note(rest.Length == 0 ? null : rest);
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
            "signup" => new Intent.SignUp(Residual(JoinChinese(TextNormalizer.LowerAscii(argument)))),
            "cancel" => new Intent.Cancel(Residual(JoinChinese(TextNormalizer.LowerAscii(argument)))),
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

        var text = JoinChinese(normalized);
        if (ParseFollow(text) is { } follow)
        {
            return follow;
        }

        var isLetter = text.Length > MaxFreeFormLength;
        var lead = isLetter ? LeadingFillerEnd(text) : 0;

        var cancel = FindWish(text, Phrases.Cancel, lead, isLetter);
        if (cancel is { } c)
        {
            // A question first: "是不是取消了" carries a 不 but asks; a plain negation ("不用取消") cancels nothing.
            var isAsked = IsQuestion(text) || IsPassive(text, c);
            return !isAsked && IsNegated(text, c, checkAfter: false)
                ? new Intent.Unknown()
                : new Intent.Cancel(Residual(text), IsQuestion: isAsked);
        }

        if (!isLetter && (Phrases.Contains(text, Phrases.MySignups)
            || (Phrases.Contains(text, Phrases.MySubject) && Phrases.Contains(text, Phrases.DoneQuestion))))
        {
            return new Intent.MySignups();
        }

        var residual = Residual(text);
        var wish = FindWish(text, Phrases.SignUpVerbs, lead, isLetter)
            ?? FindWish(text, Phrases.ShortVerbs, lead, isLetter)
            ?? FindBareBao(text, lead, isLetter)
            ?? (residual is null ? null : FindWish(text, Phrases.BareWishes, lead, isLetter));
        var isQuestion = IsQuestion(text) || Phrases.Contains(text, Phrases.AboutSignups);
        if (wish is not { } verb)
        {
            // "元宇宙还有名额吗": about signing up even without the verb.
            return isQuestion && Phrases.Contains(text, Phrases.Seats) ? new Intent.Ask(residual) : new Intent.Unknown();
        }

        if (isQuestion)
        {
            return new Intent.Ask(residual);
        }

        return IsNegated(text, verb, checkAfter: true) || IsPast(text, verb)
            ? new Intent.Unknown()
            : new Intent.SignUp(residual);
    }

    /// <summary>
    /// Following a series, only when the message starts with the word (after a greeting or "我想"): "订阅选题会",
    /// "关注 选题会", "取消订阅选题会", "退订选题会系列". A question ("能订阅吗？") gets the list, nothing stored. 退订
    /// alone or before anything else ("退订汽车那场") stays a cancel of a sign-up, as it always was.
    /// </summary>
    private static Intent? ParseFollow(string text)
    {
        var lead = LeadingFillerEnd(text);
        if (lead >= text.Length)
        {
            return null;
        }

        var unfollow = Phrases.MatchAt(text, lead, Phrases.Unfollow);
        if (unfollow > 0)
        {
            return new Intent.Unfollow(SeriesQuery(text[(lead + unfollow)..]));
        }

        if (text.AsSpan(lead).StartsWith(Phrases.UnfollowOrCancel, StringComparison.Ordinal))
        {
            var rest = text[(lead + Phrases.UnfollowOrCancel.Length)..];
            return Phrases.Contains(rest, Phrases.SeriesWords) && !IsQuestion(text) ? new Intent.Unfollow(SeriesQuery(rest)) : null;
        }

        var follow = Phrases.MatchAt(text, lead, Phrases.Follow);
        if (follow == 0 || Phrases.Contains(text[(lead + follow)..], Phrases.SignUpVerbs) || Phrases.Contains(text[(lead + follow)..], Phrases.Cancel))
        {
            // "关注一下报名情况": about signing up, read as before.
            return null;
        }

        return IsQuestion(text) ? new Intent.Follow(null) : new Intent.Follow(SeriesQuery(text[(lead + follow)..]));
    }

    /// <summary>What names the series once the word is taken: "一下选题会系列吧" → "选题会"; null when nothing is left.</summary>
    private static string? SeriesQuery(string rest)
    {
        var query = rest;
        string previous;
        do
        {
            previous = query;
            query = TrimNoise(query);
            query = query[Phrases.MatchAt(query, 0, Phrases.SeriesLeadingFillers)..];
            foreach (var filler in Phrases.SeriesTrailingFillers)
            {
                if (query.EndsWith(filler, StringComparison.Ordinal))
                {
                    query = query[..^filler.Length];
                    break;
                }
            }
        }
        while (query.Length != previous.Length);

        return query.Length == 0 ? null : query;
    }

    /// <summary>"报 名", "元宇宙 报名" → "报名", "元宇宙报名": a space matters only between two English words or numbers.</summary>
    private static string JoinChinese(string text)
    {
        if (!text.Contains(' ', StringComparison.Ordinal))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == ' ' && (i == 0 || i == text.Length - 1 || !IsAsciiWordChar(text[i - 1]) || !IsAsciiWordChar(text[i + 1])))
            {
                continue;
            }

            builder.Append(text[i]);
        }

        return builder.ToString();
    }

    private static bool IsAsciiWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '\'' or '.' or '-' or '/';

    private static Phrases.Span? FindWish(string text, string[] words, int lead, bool isLetter)
    {
        var found = Phrases.Find(text, words, lead);
        return isLetter && found is { } f && f.Start != lead ? null : found;
    }

    private static Phrases.Span? FindBareBao(string text, int lead, bool isLetter)
    {
        for (var i = lead; i < (isLetter ? Math.Min(lead + 1, text.Length) : text.Length); i++)
        {
            if (Phrases.IsBareBaoAt(text, i))
            {
                return new Phrases.Span(i, 1);
            }
        }

        return null;
    }

    /// <summary>Where a long message's greeting, subject and punctuation end ("您好！我想报名…" → at 报名).</summary>
    private static int LeadingFillerEnd(string text)
    {
        var at = 0;
        while (at < text.Length)
        {
            var length = Phrases.MatchAt(text, at, Phrases.LeadingFillers);
            if (length == 0)
            {
                length = NoiseLengthAt(text, at);
            }

            if (length == 0)
            {
                break;
            }

            at += length;
        }

        return at;
    }

    private static bool IsQuestion(string text)
    {
        if (Phrases.Contains(text, Phrases.QuestionWords))
        {
            return true;
        }

        // 什么 asks ("报名送什么"), except in 什么是, which titles use ("到底什么是元宇宙").
        for (var at = text.IndexOf("什么", StringComparison.Ordinal); at >= 0; at = text.IndexOf("什么", at + 2, StringComparison.Ordinal))
        {
            if (at + 2 >= text.Length || text[at + 2] != '是')
            {
                return true;
            }
        }

        // "A不A" and "A没A" ask: 多不多, 满没满, 能不能, 来不来.
        for (var i = 0; i + 2 < text.Length; i++)
        {
            if (text[i + 1] is '不' or '没' && text[i] == text[i + 2] && !char.IsAscii(text[i]))
            {
                return true;
            }
        }

        // 么 as a final particle (能报名么) and a trailing 没/不 (报上了没, 能报名不): not 什么, 怎么, 这么.
        var end = TrimNoise(text);
        return end.Length >= 2
            && (end[^1] is '没' or '不' || (end[^1] == '么' && end[^2] is not ('什' or '怎' or '这' or '那' or '多' or '要')));
    }

    /// <summary>A negation in the same clause before the wish ("我不想报名"), or right after it ("报名不了").</summary>
    private static bool IsNegated(string text, Phrases.Span wish, bool checkAfter)
    {
        var clause = ClauseBefore(text, wish.Start);
        for (var i = 0; i < clause.Length; i++)
        {
            var excepted = Phrases.MatchAt(clause, i, Phrases.NotNegations);
            if (excepted > 0)
            {
                i += excepted - 1;
                continue;
            }

            if (Phrases.MatchAt(clause, i, Phrases.Negations) > 0)
            {
                return true;
            }
        }

        return checkAfter && IsNegatedAfter(text, wish.End);
    }

    /// <summary>"报名不了", "报名元宇宙算了": a negation later in the wish's own clause takes it back.</summary>
    private static bool IsNegatedAfter(string text, int start)
    {
        var end = start;
        while (end < text.Length && (text[end] is ' ' or '\'' || NoiseLengthAt(text, end) == 0))
        {
            end++;
        }

        var clause = text[start..end];
        for (var i = 0; i < clause.Length; i++)
        {
            var excepted = Phrases.MatchAt(clause, i, Phrases.NotNegations);
            if (excepted > 0)
            {
                i += excepted - 1;
                continue;
            }

            if (Phrases.MatchAt(clause, i, Phrases.Negations) > 0 || Phrases.MatchAt(clause, i, Phrases.TakenBack) > 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>"元宇宙那场被取消了": news about the session, not the member's wish; it only offers buttons.</summary>
    private static bool IsPassive(string text, Phrases.Span wish) =>
        ClauseBefore(text, wish.Start).Contains('被', StringComparison.Ordinal);

    private static bool IsPast(string text, Phrases.Span wish) =>
        Phrases.Contains(ClauseBefore(text, wish.Start), Phrases.Past);

    /// <summary>The text between the last punctuation before <paramref name="end"/> and it (spaces and apostrophes do not end an English clause).</summary>
    private static string ClauseBefore(string text, int end)
    {
        var start = end;
        while (start > 0 && (text[start - 1] is ' ' or '\'' || NoiseLengthAt(text, start - 1) == 0))
        {
            start--;
        }

        return text[start..end];
    }

    /// <summary>
    /// What names the session: the message with every wish, question and inquiry word cut out, each
    /// remaining piece stripped of the filler around it, joined by spaces; null when nothing is left.
    /// "麻烦帮我报个名，元宇宙那场，谢谢" → "元宇宙"; "元宇宙那场怎么报名？" → "元宇宙".
    /// </summary>
    private static string? Residual(string text)
    {
        var pieces = new List<string>();
        var start = 0;
        var i = 0;
        while (i < text.Length)
        {
            var cut = CutAt(text, i);
            if (cut == 0 && !IsBetweenAsciiWords(text, i))
            {
                cut = NoiseLengthAt(text, i);
            }

            if (cut == 0)
            {
                i++;
                continue;
            }

            AddPiece(pieces, text[start..i]);
            i += cut;
            start = i;
        }

        AddPiece(pieces, text[start..]);
        return pieces.Count == 0 ? null : string.Join(' ', pieces);
    }

    private static int CutAt(string text, int index)
    {
        // "元宇宙能取消吗", "元宇宙还有名额吗": a helper right before a wish or an inquiry goes with it.
        var helper = Phrases.MatchAt(text, index, Phrases.Helpers);
        if (helper > 0 && index + helper < text.Length && CutWordAt(text, index + helper) > 0)
        {
            return helper;
        }

        return CutWordAt(text, index);
    }

    private static int CutWordAt(string text, int index)
    {
        foreach (var table in CutTables)
        {
            var length = Phrases.MatchAt(text, index, table);
            if (length > 0 && !(table == Phrases.ShortVerbs && OverlapsVerb(text, index, length)))
            {
                return length;
            }
        }

        return Phrases.IsBareBaoAt(text, index) ? 1 : 0;
    }

    // "我想报名": 想报 must not take the 报 of 报名, or 名 would be left over as the query.
    private static bool OverlapsVerb(string text, int index, int length)
    {
        for (var at = index + 1; at < index + length; at++)
        {
            if (Phrases.MatchAt(text, at, Phrases.SignUpVerbs) > 0)
            {
                return true;
            }
        }

        return false;
    }

    private static readonly string[][] CutTables =
        [Phrases.Cancel, Phrases.SignUpVerbs, Phrases.ShortVerbs, Phrases.BareWishes, Phrases.QuestionWords, Phrases.AboutSignups, Phrases.Seats];

    // "2.17", "2-17", "sign-up": punctuation inside a number or an English word does not split it.
    private static bool IsBetweenAsciiWords(string text, int index) =>
        index > 0 && index < text.Length - 1 && char.IsAsciiLetterOrDigit(text[index - 1]) && char.IsAsciiLetterOrDigit(text[index + 1]);

    private static void AddPiece(List<string> pieces, string piece)
    {
        var trimmed = StripFiller(piece);
        if (trimmed.Length > 0 && Phrases.MatchAt(trimmed, 0, Phrases.Helpers) != trimmed.Length)
        {
            pieces.Add(trimmed);
        }
    }

    /// <summary>The piece without the filler around it ("2月17日那场吧！" → "2月17日").</summary>
    private static string StripFiller(string piece)
    {
        var query = piece;
        string previous;
        do
        {
            previous = query;
            query = TrimNoise(query);
            var leading = Phrases.MatchAt(query, 0, Phrases.LeadingFillers);
            query = query[leading..];
            query = StripTrailingFiller(query);
        }
        while (query.Length != previous.Length);

        return query;
    }

    private static string StripTrailingFiller(string text)
    {
        foreach (var filler in Phrases.TrailingFillers)
        {
            if (text.EndsWith(filler, StringComparison.Ordinal) && StartsWordAt(text, filler, text.Length - filler.Length))
            {
                return text[..^filler.Length];
            }
        }

        // "17号场", "2.17场": a lone 场 is filler only right after a date, or it would eat the end of 市场.
        if (text.Length >= 2 && text[^1] is '场' or '期' && (char.IsAsciiDigit(text[^2]) || text[^2] is '日' or '号'))
        {
            return text[..^1];
        }

        return text;
    }

    // English fillers are whole words ("forum" does not lose "for"); Chinese ones have no word boundaries.
    private static bool StartsWordAt(string text, string filler, int index) =>
        !char.IsAsciiLetter(filler[0]) || index == 0 || !char.IsAsciiLetterOrDigit(text[index - 1]);

    /// <summary>The length of the space, punctuation or symbol (an emoji is two chars) at <paramref name="index"/>, or 0.</summary>
    private static int NoiseLengthAt(string text, int index) =>
        Rune.DecodeFromUtf16(text.AsSpan(index), out var rune, out var length) == System.Buffers.OperationStatus.Done && IsNoise(rune) ? length : 0;

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

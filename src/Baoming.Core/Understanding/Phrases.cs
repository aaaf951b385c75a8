namespace Baoming.Core.Understanding;

/// <summary>
/// The words the parser looks for, already in <see cref="TextNormalizer"/>'s form (Simplified,
/// lower-case, no spaces between Chinese characters). Within a table, longer entries come first so
/// "取消报名" is found whole rather than as "取消".
/// </summary>
internal static class Phrases
{
    /// <summary>The wish itself, in any of the ways readers put it.</summary>
    public static readonly string[] SignUpVerbs = Longest(
    [
        "报名", "报个名", "报一下名", "报下名", "报一个名", "报上名", "报一报名",
        "参加", "参与", "预约", "预定", "预订", "登记", "占个位", "占位", "占个座", "占座", "留个位", "留个座", "留位",
        "算我一个", "算上我", "加我一个", "想去", "想听", "要去", "要听", "去听", "来听", "我也去", "我也来",
        "sign up", "sign-up", "signed up", "signup", "sign me up", "register", "join", "book", "rsvp", "enroll", "enrol", "reserve", "attend", "count me in",
    ]);

    /// <summary>
    /// 报 without 名, held by a subject or helper before it or a measure word after it ("我也报", "报一个"),
    /// so 报告, 报道 and 日报 are not wishes. Found only when no verb of <see cref="SignUpVerbs"/> is.
    /// </summary>
    public static readonly string[] ShortVerbs = Longest(
    [
        "我报", "我也报", "帮我报", "给我报", "想报", "要报", "报一个", "报一下", "报个", "报上", "报了",
    ]);

    /// <summary>
    /// A reader's word to the organizers starts with one of these (the seed invites suggestions to the
    /// assistant): 留言 or 建议, two characters each, in Simplified form.
    /// </summary>
    public static bool IsNoteWord(char first, char second) => (first, second) is ('留', '言') or ('建', '议');

    /// <summary>A character that makes the note word part of a noun (留言板, 留言区, 建议书): a question about it, not a note.</summary>
    public static bool IsNoteCompound(char next) => next is '板' or '区' or '簿' or '栏' or '墙' or '书' or '箱';

    /// <summary>A wish only when a session follows or precedes it ("我要2月17日那场"); alone it is chit-chat.</summary>
    public static readonly string[] BareWishes = Longest(["我要", "我想要", "给我来", "我去", "来一个", "i want", "i'd like"]);

    /// <summary>Cancel wishes. 不去了 and 去不了 read as negations, so cancel is looked for first.</summary>
    public static readonly string[] Cancel = Longest(
    [
        "取消报名", "取消预约", "取消", "退出报名", "退报", "退订", "退掉", "撤销报名", "撤回报名", "放弃报名",
        "不去了", "去不了", "去不成", "不来了", "来不了", "不参加了", "参加不了", "没法参加", "没办法参加", "不能参加了",
        "不能去了", "不报了", "没法去", "没办法去", "没空去", "没时间去", "不能来", "没法来", "来不成", "赶不上", "参加不成",
        "不想去了", "不想参加了", "不想来了", "不打算去了", "不打算参加了", "cancel", "withdraw", "unregister", "can't make it", "cant make it", "can't come",
        "cant come", "can't attend", "cant attend", "not coming", "can't join", "cant join", "won't make it", "not going",
    ]);

    /// <summary>
    /// Following a series (issue 18): the word at the start of the message, after a greeting or "我想"
    /// (<see cref="LeadingFillers"/>), so "谢谢关注" is no follow. None of these was a wish before.
    /// </summary>
    public static readonly string[] Follow = Longest(["订阅", "关注", "follow", "subscribe", "subscribe to"]);

    /// <summary>
    /// Stopping it, at the start as for <see cref="Follow"/>: 取消订阅 and 取消关注 are found before the cancel
    /// phrases, so they never cancel a sign-up (取消报名 still does).
    /// </summary>
    public static readonly string[] Unfollow = Longest(
        ["取消订阅", "取消关注", "不再订阅", "不再关注", "不想再订阅", "不想再关注", "unfollow", "unsubscribe", "stop following"]);

    /// <summary>
    /// 退订 is a cancel of a sign-up ("退订汽车那场") unless what follows speaks of a series or its news:
    /// "退订选题会", "退订系列", "退订通知". The parser knows no configured series, so these words decide.
    /// </summary>
    public const string UnfollowOrCancel = "退订";

    public static readonly string[] SeriesWords = Longest(["选题会", "系列", "订阅", "通知", "推送", "series", "notifications", "updates"]);

    /// <summary>Words around a series' name that are not part of it: "订阅一下选题会系列吧" → "选题会".</summary>
    public static readonly string[] SeriesLeadingFillers = Longest(["一下", "下", "这个", "那个", "的", "了", "the", "to", "me"]);

    public static readonly string[] SeriesTrailingFillers = Longest(
        ["系列", "的", "吧", "了", "啊", "呀", "哦", "哈", "谢谢", "一下", "通知", "推送", "订阅", "series", "notifications", "updates", "please", "thanks"]);

    /// <summary>"What did I sign up for": looked for anywhere, before questions (they often are questions).</summary>
    public static readonly string[] MySignups = Longest(
    [
        "我的报名", "我报了", "我报名的", "我报的", "我报名了吗", "我报名了没", "我报上了吗", "报上了吗", "报名成功了吗", "报名成功没",
        "有没有报上", "我有没有报名", "报名记录", "查看报名", "查询报名", "查一下报名", "看看我报", "我报过",
        "已报名的", "已经报名的", "报了哪", "报了什么", "报了啥", "报名了哪", "报名了什么",
        "my sign", "my registration", "my booking", "what did i sign up",
    ]);

    /// <summary>"我报名元宇宙了吗": the member asking about their own sign-up, split around the session.</summary>
    public static readonly string[] MySubject = Longest(["我报", "我有报", "我也报"]);

    public static readonly string[] DoneQuestion = Longest(["了吗", "了没", "成功没", "上没"]);

    /// <summary>
    /// A question: about how, whether, when or how many. The bot never signs anyone up on a question.
    /// 么 counts only as a final particle (能报名么), not inside 什么 or 怎么 (怎么 is listed itself).
    /// </summary>
    public static readonly string[] QuestionWords = Longest(
    [
        "?", "吗", "嘛", "呢", "多少", "几", "是否", "有没有", "能不能", "可不可以", "可以不可以", "要不要", "是不是",
        "行不行", "对不对", "好不好", "怎么样", "怎么", "怎样", "咋", "如何", "哪",
        "什么时候", "何时", "为什么", "为啥", "啥", "能否", "可否", "谁", "还能", "还可以", "来得及", "来的及", "了没",
        "如果", "要是", "假如", "万一", "需要什么", "要什么", "有什么", "是什么",
        "how", "what", "when", "where", "why", "which", "who", "can i", "could i", "may i", "is it", "is there",
        "are there", "do i", "does", "still", "whether",
    ]);

    /// <summary>Words about the sign-ups rather than a wish to sign up ("报名人数", "名额满了", "报名链接"), or about someone else.</summary>
    public static readonly string[] AboutSignups = Longest(
    [
        "人数", "多少人", "几个人", "名额", "满了", "满员", "爆满", "截止", "结果", "情况", "进度", "状态", "链接", "网址",
        "入口", "方式", "方法", "流程", "步骤", "规则", "要求", "条件", "费用", "收费", "免费", "要钱", "价格",
        "开始了", "开放了", "结束", "关闭", "停止", "时间", "成功", "须知", "报名表", "表格", "表单", "的人", "多人", "少人", "好多", "很多",
        "二维码", "名单", "海报", "通知", "统计", "热度", "火爆", "踊跃", "已满", "满", "多久", "送什么", "门槛",
        "他", "她", "大家", "朋友", "同事", "别人", "家人",
        "full", "seats", "deadline", "link", "people", "fee", "price",
    ]);

    /// <summary>Negations: "我不想报名", "别报名", "没报名", "报名不了". Phrases that only look negative are excepted.</summary>
    public static readonly string[] Negations = Longest(["不", "别", "没", "无法", "甭", "勿", "莫", "not", "don't", "dont", "never", "no",
        "can't", "cant", "cannot", "won't", "wont", "unable", "couldn't", "shouldn't"]);

    public static readonly string[] NotNegations = Longest(["不错", "不好意思", "没问题", "不客气", "不用谢", "不见不散"]);

    /// <summary>After the wish, these take it back: "报名元宇宙算了", "报名失败".</summary>
    public static readonly string[] TakenBack = Longest(["算了", "失败", "放弃"]);

    /// <summary>A sign-up already made: "已经报名了" is news, not a request.</summary>
    public static readonly string[] Past = Longest(["已经", "已", "already"]);

    /// <summary>Seats and sign-ups as a topic: a question about them is about signing up even without a verb ("元宇宙还有名额吗").</summary>
    public static readonly string[] Seats = Longest(
        ["名额", "位置", "位子", "座位", "满了", "满员", "seats", "full", "registration", "sign-ups", "signups", "spots"]);

    /// <summary>
    /// 报 alone is a wish only at the start or after a subject or helper ("报元宇宙", "我也报", "还可以报"), and
    /// never as the first half of another word (报告, 报道, 日报 is excluded by the character before).
    /// </summary>
    public static bool IsBareBaoAt(string text, int index)
    {
        if (text[index] != '报' || (index + 1 < text.Length && "告道纸社表价销警案复仇刊关废送到考喜答恩酬效税批账应".Contains(text[index + 1], StringComparison.Ordinal)))
        {
            return false;
        }

        return index == 0 || "我也帮给要想都还能以就先再来去得你您请".Contains(text[index - 1], StringComparison.Ordinal) || !char.IsLetterOrDigit(text[index - 1]);
    }

    /// <summary>Modal and adverb helpers that lean on the next word: 能取消, 还有名额, 也报名; alone they are not a query.</summary>
    public static readonly string[] Helpers = Longest(
        ["还有", "可以", "能", "要", "想", "就", "还", "也", "都", "再", "先", "来", "去", "多", "有", "样", "帮", "人", "得"]);

    /// <summary>Words around the session name: greetings, subjects, helpers, measure words, particles, thanks.</summary>
    public static readonly string[] LeadingFillers = Longest(
    [
        "你好", "您好", "hello", "hi", "老师", "小编", "小助手", "请问", "麻烦你", "麻烦您", "麻烦", "请帮我", "帮我", "帮忙",
        "请给我", "给我", "请", "我也要", "我也想", "我也", "我们也", "我们", "我要", "我想要", "我想", "我", "也", "想", "要",
        "一下", "一个", "个", "再", "就", "那一场", "这一场", "那场", "这场", "那期", "这期", "那个", "这个", "的", "了", "吧",
        "for", "the", "to", "me", "i", "i'd", "i'm", "i'll", "we'll", "i will", "like", "want", "please", "in", "on", "a", "an",
    ]);

    public static readonly string[] TrailingFillers = Longest(
    [
        "那个选题会", "的选题会", "选题会", "的那一场", "那一场", "这一场", "的那场", "那场", "这场", "的那期", "那期", "这期",
        "那个", "这个", "场次", "活动", "分享会", "讲座", "一下", "一个", "的", "吧", "呀", "啊", "哈", "哦", "喔", "嗯",
        "了", "呗", "啦", "谢谢", "谢啦", "谢了", "多谢", "感谢", "你们", "大家", "帮我", "帮忙", "我", "我们", "也",
        "thanks", "thank you", "thx", "session", "please", "pls", "plz", "one", "talk", "event", "too",
    ]);

    /// <summary>Filler anywhere in what is left of a query once the session's name and date are taken out.</summary>
    private static readonly string[] Filler = Longest(
    [
        .. LeadingFillers, .. TrailingFillers, .. NotNegations, "还", "都", "就", "再", "先", "能", "可以", "来", "去",
        "选题会", "话题", "线上", "分享", "讨论", "交流", "会议", "听听", "听", "晚上", "今晚", "下午", "晚", "下周", "这周", "本周", "周三", "星期三", "周", "那", "这", "场", "期", "一期", "一", "和", "与", "及", "之", "好", "好的", "行", "嗯", "嗯嗯", "ok", "okay", "吧", "呀",
        "i'll", "i'm", "we", "us", "my", "of", "at", "on", "session", "one",
    ]);

    private static readonly HashSet<string> AsciiFiller = [.. Filler.Where(w => char.IsAscii(w[0]))];

    public static bool IsFiller(string asciiWord) => AsciiFiller.Contains(asciiWord);

    public static int FillerLengthAt(string text, int index) => MatchAt(text, index, Filler);

    private static string[] Longest(string[] words) => [.. words.OrderByDescending(w => w.Length)];

    /// <summary>Is one of <paramref name="words"/> at <paramref name="index"/>? Its length, or 0.</summary>
    public static int MatchAt(string text, int index, string[] words)
    {
        foreach (var word in words)
        {
            if (text.AsSpan(index).StartsWith(word, StringComparison.Ordinal) && IsWholeWord(text, index, word.Length))
            {
                return word.Length;
            }
        }

        return 0;
    }

    /// <summary>The leftmost (then longest) of <paramref name="words"/> in <paramref name="text"/> at or after <paramref name="from"/>.</summary>
    public static Span? Find(string text, string[] words, int from = 0)
    {
        for (var i = from; i < text.Length; i++)
        {
            var length = MatchAt(text, i, words);
            if (length > 0)
            {
                return new Span(i, length);
            }
        }

        return null;
    }

    public static bool Contains(string text, string[] words) => Find(text, words) is not null;

    /// <summary>
    /// An English word must stand alone ("join" is not in "joiner", "no" not in "know"); Chinese has no
    /// spaces between words, so a Chinese entry matches anywhere.
    /// </summary>
    private static bool IsWholeWord(string text, int index, int length)
    {
        var startsWord = !char.IsAsciiLetter(text[index]) || index == 0 || !IsWordChar(text[index - 1]);
        var end = index + length;
        var endsWord = !char.IsAsciiLetter(text[end - 1]) || end == text.Length || !IsWordChar(text[end]);
        return startsWord && endsWord;
    }

    // "i'll" is one word: its "i" is not the filler "i".
    private static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '\'';

    public readonly record struct Span(int Start, int Length)
    {
        public int End => Start + Length;
    }
}

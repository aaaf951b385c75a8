using System.Globalization;
using System.Text;
using Baoming.Core.Questions;
using Baoming.Core.Understanding;

namespace Baoming.Core.Replies;

// Questions at sign-up: asking them one by one, the re-asks, the thanks; /editsession questions and /answers.
public sealed partial class Texts
{
    /// <summary>
    /// Question <paramref name="question"/> of <paramref name="total"/>: its choices as buttons, 跳过 when it is
    /// optional, 保持不变 with the recorded <paramref name="current"/> answer. <paramref name="lead"/> comes first
    /// (the introduction, or why the last answer was refused).
    /// </summary>
    public Reply AskQuestion(SessionQuestion question, int total, string? current, string? lead = null)
    {
        ArgumentNullException.ThrowIfNull(question);
        var text = new StringBuilder();
        if (lead is not null)
        {
            text.Append(lead).Append('\n');
        }

        text.Append(Pick($"问题 {question.Number}/{total}：", $"Question {question.Number}/{total}: ")).Append(question.Text);
        if (question.IsRequired)
        {
            text.Append(Pick("（必答）", " (required)"));
        }

        text.Append('\n').Append(question.IsChoice
            ? Pick("请点一个选项，或直接输入选项文字。", "Tap a choice, or type it.")
            : Pick("请直接回复文字。", "Just reply with text."));
        if (current is not null)
        {
            text.Append('\n').Append(Pick("当前回答：", "Current answer: ")).Append(current);
        }

        var buttons = new List<Button>();
        for (var i = 0; i < question.Choices.Count; i++)
        {
            buttons.Add(new Button(question.Choices[i], CallbackData.Questions.Choose(question.Id, i + 1)));
        }

        if (current is not null)
        {
            buttons.Add(new Button(Pick("保持不变", "Keep it"), CallbackData.Questions.Keep(question.Id)));
        }

        if (!question.IsRequired)
        {
            buttons.Add(new Button(Pick("跳过", "Skip"), CallbackData.Questions.Skip(question.Id)));
        }

        return Reply.WithButtons(text.ToString(), buttons);
    }

    /// <summary>Before the first question, under the sign-up's confirmation.</summary>
    public string QuestionsIntro(Session session, int count, bool isEdit) => isEdit
        ? Pick($"修改「{session.Title}」的报名问题回答（共 {count} 个）：", $"Change your answers for \"{session.Title}\" ({count} questions):")
        : Pick($"组织者想了解一下你，请回答 {count} 个小问题：", $"The organizers would like to know you a little: {count} short questions.");

    /// <summary>Why a typed answer was refused, said before the question again.</summary>
    public string AnswerProblem(AnswerCheck check) => check switch
    {
        AnswerCheck.TooLong tooLong => Pick(
            $"回答太长了（{tooLong.Length} 字），最多 {QuestionLimits.MaxAnswerLength} 字，请简短一点。",
            $"That's too long ({tooLong.Length} characters); at most {QuestionLimits.MaxAnswerLength}. Please keep it short."),
        AnswerCheck.NotAChoice => Pick("没有这个选项，请点下面的按钮选一个。", "That's not one of the choices; please tap one below."),
        AnswerCheck.Required => Pick("这个问题必须回答，不能跳过。", "This question is required and can't be skipped."),
        _ => Pick("回答不能为空，请回复文字。", "The answer can't be empty; please reply with text."),
    };

    /// <summary>A sticker, photo or voice note while a question is open.</summary>
    public string AnswerTextOnly() => Pick("我只能记录文字回答，请用文字回复。", "I can only record text answers; please reply with text.");

    /// <summary>The end of the questions: what was recorded, and how to change it.</summary>
    public Reply AnswersThanks(Session session, IReadOnlyList<(SessionQuestion Question, string? Answer)> answers)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(answers);
        var text = new StringBuilder(Pick($"谢谢！「{session.Title}」的回答已记录：", $"Thank you! Your answers for \"{session.Title}\":")).Append('\n');
        foreach (var (question, answer) in answers)
        {
            text.Append(question.Text).Append(Pick("：", ": ")).Append(answer ?? Pick("（未回答）", "(no answer)")).Append('\n');
        }

        text.Append(Pick("想修改的话，发送「我的报名」点「修改回答」。", "To change them, send \"my\" and tap \"Change answers\"."));
        return Reply.Plain(text.ToString());
    }

    /// <summary>A reader request in the middle of the questions: the rest wait, and this says where to find them.</summary>
    public Reply QuestionsLeftForLater(Session session) => Reply.Plain(Pick(
        $"「{session.Title}」的报名问题先放一放，之后可以发送「我的报名」点「修改回答」补上。",
        $"The questions for \"{session.Title}\" can wait: send \"my\" and tap \"Change answers\" to finish them later."));

    /// <summary>Notices on a pressed question button.</summary>
    public string AnswerRecorded(string answer) => Pick($"已记录：{Clip(answer)}", $"Recorded: {Clip(answer)}");

    public string QuestionSkipped() => Pick("已跳过", "Skipped");

    public string AnswerKept() => Pick("保持不变", "Kept");

    public string QuestionRequired() => Pick("这个问题必须回答，不能跳过。", "This question is required.");

    /// <summary>修改回答 under 我的报名, one per signed-up session with questions.</summary>
    public Button EditAnswersButton(Session session) => TitledButton(Pick("修改回答：", "Change answers: "), session, CallbackData.Questions.Edit(session.Id));

    // Organizers: /editsession KEY questions …

    public Reply QuestionsUsage(string? problem = null) => Reply.Plain(Prefix(problem) + Pick(
        "用法：/editsession KEY questions 公司* ; 职位 ; 行业: 汽车|互联网|金融 ; 这场你最想聊什么？\n" +
        $"用 ; 分隔问题，问题后加 * 表示必答，冒号后用 | 分隔选项（做成按钮），- 清除全部问题。最多 {QuestionLimits.MaxQuestions} 个问题，每题最多 {QuestionLimits.MaxTextLength} 字；每题最多 {QuestionLimits.MaxChoices} 个选项，每个最多 {QuestionLimits.MaxChoiceLength} 字。",
        "Usage: /editsession KEY questions Company* ; Role ; Industry: Auto|Internet|Finance ; What do you most want to discuss?\n" +
        $"; separates questions, * after a question makes it required, : starts its choices separated by | (shown as buttons), - clears them all. At most {QuestionLimits.MaxQuestions} questions of {QuestionLimits.MaxTextLength} characters; at most {QuestionLimits.MaxChoices} choices of {QuestionLimits.MaxChoiceLength} characters each."));

    /// <summary>One problem of the typed questions, naming the question by its number (1, 2, …) and the piece at fault.</summary>
    public string QuestionProblemText(QuestionProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var n = (problem.Question + 1).ToString(CultureInfo.InvariantCulture);
        var detail = Clip(problem.Detail ?? "");
        return problem.Error switch
        {
            QuestionError.TooManyQuestions => Pick(
                $"问题太多了（{detail} 个），最多 {QuestionLimits.MaxQuestions} 个。", $"Too many questions ({detail}); at most {QuestionLimits.MaxQuestions}."),
            QuestionError.EmptyText => Pick($"第 {n} 个问题没有文字。", $"Question {n} has no text."),
            QuestionError.TextTooLong => Pick(
                $"第 {n} 个问题太长了（{detail} 字），最多 {QuestionLimits.MaxTextLength} 字。", $"Question {n} is too long ({detail} characters); at most {QuestionLimits.MaxTextLength}."),
            QuestionError.DuplicateText => Pick($"第 {n} 个问题「{detail}」重复了。", $"Question {n} \"{detail}\" is there twice."),
            QuestionError.TooFewChoices => Pick(
                $"第 {n} 个问题「{detail}」至少要有 2 个选项，用 | 分隔，例如 行业: 汽车|互联网。",
                $"Question {n} \"{detail}\" needs at least 2 choices separated by |, e.g. Industry: Auto|Internet."),
            QuestionError.TooManyChoices => Pick(
                $"第 {n} 个问题的选项太多了（{detail} 个），最多 {QuestionLimits.MaxChoices} 个。", $"Question {n} has too many choices ({detail}); at most {QuestionLimits.MaxChoices}."),
            QuestionError.EmptyChoice => Pick($"第 {n} 个问题有一个空选项（两个 | 之间没有字）。", $"Question {n} has an empty choice (nothing between two |)."),
            QuestionError.ChoiceTooLong => Pick(
                $"第 {n} 个问题的选项「{detail}」太长了，每个选项最多 {QuestionLimits.MaxChoiceLength} 字。",
                $"Question {n}: the choice \"{detail}\" is too long; at most {QuestionLimits.MaxChoiceLength} characters."),
            _ => Pick($"第 {n} 个问题的选项「{detail}」重复了。", $"Question {n}: the choice \"{detail}\" is there twice."),
        };
    }

    /// <summary>The answer to <c>/editsession KEY questions …</c>: the usual edit confirmation, then the questions as stored.</summary>
    public Reply QuestionsEdited(Session session, IReadOnlyList<QuestionSpec> questions, bool isFromConfiguration)
    {
        ArgumentNullException.ThrowIfNull(questions);
        var text = new StringBuilder(SessionEdited(session, "questions", promoted: 0, isFromConfiguration).Text).Append('\n');
        if (questions.Count == 0)
        {
            text.Append(Pick("已清除报名问题，报名后不再提问；已有的回答仍保留在导出里。", "The questions are cleared; answers already given stay in the export."));
            return Reply.Plain(text.ToString());
        }

        text.Append(Pick("报名后会依次问：", "Asked one by one after signing up:")).Append('\n');
        AppendQuestions(text, questions);
        text.Append(Pick("已有的回答按问题文字保留；删掉的问题的回答仍在导出里。", "Answers stay with a question as long as its text is unchanged; answers to removed questions stay in the export."));
        return Reply.Plain(text.ToString());
    }

    /// <summary>The line under a session with questions in <c>/sessions</c>.</summary>
    public string QuestionsFact(string key, int questions, int answered) => Pick(
        $"报名问题 {questions} 个 · {answered} 人已回答（/answers {key}）",
        $"{questions} questions · {answered} answered (/answers {key})");

    // Organizers: /answers KEY

    public Reply AnswersUsage() => Reply.Plain(Pick("用法：/answers KEY（查看一场的报名问题回答）", "Usage: /answers KEY (the answers to a session's questions)"));

    public Reply NoQuestions(Session session) => Reply.Plain(Pick(
        $"「{session.Title}」没有报名问题。用 /editsession {session.Key} questions … 添加。",
        $"\"{session.Title}\" has no questions. Add some with /editsession {session.Key} questions …"));

    /// <summary>Counts per choice in the message; the text answers go in the CSV that follows.</summary>
    public Reply AnswersSummary(Session session, int signedUp, IReadOnlyList<QuestionTally> tallies, bool hasCsv)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(tallies);
        var text = new StringBuilder(Pick(
            $"「{session.Title}」的报名问题回答（报名和候补共 {signedUp} 人）：",
            $"Answers for \"{session.Title}\" ({signedUp} signed up or waitlisted):")).Append('\n');
        foreach (var tally in tallies)
        {
            var question = tally.Question;
            text.Append(CultureInfo.InvariantCulture, $"{question.Number}. {question.Text}")
                .Append(question.IsRequired ? Pick("（必答）", " (required)") : "")
                .Append(Pick($" — {tally.Answered} 人回答", $" — {tally.Answered} answered")).Append('\n');
            if (question.IsChoice)
            {
                text.Append("   ").AppendJoin(" · ", tally.Choices.Select(c => $"{c.Choice} {c.Count.ToString(CultureInfo.InvariantCulture)}"));
                if (tally.Other > 0)
                {
                    text.Append(Pick($" · 旧选项 {tally.Other}", $" · old choices {tally.Other}"));
                }

                text.Append('\n');
            }
        }

        text.Append(hasCsv
            ? Pick("每个人的回答（含文字回答）见下面的 CSV 文件。", "Everyone's answers, text included, are in the CSV below.")
            : Pick("还没有人回答。", "Nobody has answered yet."));
        return Reply.Plain(text.ToString());
    }

    public string AnswersCaption(Session session) => Pick($"「{session.Title}」的报名问题回答", $"Answers for \"{session.Title}\"");

    public Reply AnswersNotSent() => Reply.Plain(Pick("CSV 文件没能发送，请稍后再试一次。", "The CSV file couldn't be sent; please try again later."));

    private void AppendQuestions(StringBuilder text, IReadOnlyList<QuestionSpec> questions)
    {
        for (var i = 0; i < questions.Count; i++)
        {
            var question = questions[i];
            text.Append(CultureInfo.InvariantCulture, $"{i + 1}. {question.Text}");
            if (question.IsRequired)
            {
                text.Append(Pick("（必答）", " (required)"));
            }

            if (question.IsChoice)
            {
                text.Append(Pick("：", ": ")).AppendJoin(" / ", question.Choices);
            }

            text.Append('\n');
        }
    }
}

using System.Text;

namespace Baoming.Core.Questions;

/// <summary>The questions of one line, or why they were refused (the first problems, in order).</summary>
public sealed record ParsedQuestions(IReadOnlyList<QuestionSpec> Questions, IReadOnlyList<QuestionProblem> Problems)
{
    public bool IsOk => Problems.Count == 0;
}

/// <summary>
/// The one-line form of a session's questions in <c>/editsession KEY questions …</c>, written to be read
/// by a Chinese organizer: <c>公司* ; 职位 ; 行业: 汽车|互联网|金融 ; 这场你最想聊什么？</c>. Questions are
/// separated by <c>;</c> (or <c>；</c>, or a new line); a <c>*</c> after the text marks a required one;
/// a <c>:</c> (or <c>：</c>) after the text starts its choices, separated by <c>|</c> (or <c>｜</c>).
/// A lone <c>-</c> clears the questions. The first colon ends the text, so a text question cannot hold one.
/// </summary>
public static class QuestionSyntax
{
    public const string Clear = "-";

    private static readonly char[] QuestionSeparators = [';', '；', '\n', '\r'];
    private static readonly char[] ChoiceSeparators = ['|', '｜'];
    private static readonly char[] ChoiceStarts = [':', '：'];
    private static readonly char[] RequiredMarks = ['*', '＊'];

    public static ParsedQuestions Parse(string? line)
    {
        var value = line?.Trim() ?? "";
        if (value == Clear)
        {
            return new([], []);
        }

        var questions = new List<QuestionSpec>();
        var problems = new List<QuestionProblem>();
        foreach (var part in value.Split(QuestionSeparators, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = part.IndexOfAny(ChoiceStarts);
            var text = (colon < 0 ? part : part[..colon]).Trim();
            var isRequired = text.Length > 0 && Array.IndexOf(RequiredMarks, text[^1]) >= 0;
            if (isRequired)
            {
                text = text[..^1].TrimEnd();
            }

            IReadOnlyList<string> choices = [];
            if (colon >= 0)
            {
                var rest = part[(colon + 1)..].Trim();
                if (rest.Length == 0)
                {
                    // "行业:" with nothing after: a choice question without its choices.
                    problems.Add(new(QuestionError.TooFewChoices, questions.Count, Detail: text));
                }

                choices = rest.Length == 0 ? [] : rest.Split(ChoiceSeparators, StringSplitOptions.TrimEntries);
            }

            questions.Add(new QuestionSpec(text, choices, isRequired));
        }

        problems.AddRange(QuestionRules.Validate(questions));
        return problems.Count == 0 ? new(questions, []) : new([], problems);
    }

    /// <summary>The questions in the form <see cref="Parse"/> reads; "-" for none.</summary>
    public static string Format(IEnumerable<QuestionSpec> questions)
    {
        ArgumentNullException.ThrowIfNull(questions);
        var line = new StringBuilder();
        foreach (var question in questions)
        {
            if (line.Length > 0)
            {
                line.Append(" ; ");
            }

            line.Append(question.Text);
            if (question.IsRequired)
            {
                line.Append('*');
            }

            if (question.IsChoice)
            {
                line.Append(": ").AppendJoin('|', question.Choices);
            }
        }

        return line.Length == 0 ? Clear : line.ToString();
    }
}

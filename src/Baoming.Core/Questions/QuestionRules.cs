using Baoming.Core.Understanding;

namespace Baoming.Core.Questions;

/// <summary>Why a session's questions were refused; each has a configuration message and a chat sentence.</summary>
public enum QuestionError
{
    TooManyQuestions,
    EmptyText,
    TextTooLong,
    DuplicateText,
    TooFewChoices,
    TooManyChoices,
    EmptyChoice,
    ChoiceTooLong,
    DuplicateChoice,
}

/// <summary>
/// One problem with a list of questions: <see cref="Question"/> is the 0-based question (−1 for the list
/// as a whole), <see cref="Choice"/> the 0-based choice when it is about one, <see cref="Detail"/> the
/// offending text or count, to echo back.
/// </summary>
public sealed record QuestionProblem(QuestionError Error, int Question, int? Choice = null, string? Detail = null);

/// <summary>
/// The rules a session's questions follow wherever they come from: at most <see cref="QuestionLimits.MaxQuestions"/>,
/// each with a text of at most <see cref="QuestionLimits.MaxTextLength"/> characters, unique within the
/// session (the text is what keeps a question's answers through an edit), and a choice question with
/// 2 to <see cref="QuestionLimits.MaxChoices"/> distinct choices of at most <see cref="QuestionLimits.MaxChoiceLength"/>
/// characters (a button's width).
/// </summary>
public static class QuestionRules
{
    /// <summary>Every problem, in order; empty when the questions are fine.</summary>
    public static IReadOnlyList<QuestionProblem> Validate(IReadOnlyList<QuestionSpec> questions)
    {
        ArgumentNullException.ThrowIfNull(questions);
        var problems = new List<QuestionProblem>();
        if (questions.Count > QuestionLimits.MaxQuestions)
        {
            problems.Add(new(QuestionError.TooManyQuestions, -1, Detail: Count(questions.Count)));
        }

        var texts = new HashSet<string>(StringComparer.Ordinal);
        // Compared as a reader's text is (full-width, Traditional, case): "什么？" and "什么?" are one question.
        for (var i = 0; i < questions.Count; i++)
        {
            var question = questions[i];
            var text = question.Text.Trim();
            if (text.Length == 0)
            {
                problems.Add(new(QuestionError.EmptyText, i));
            }
            else if (text.Length > QuestionLimits.MaxTextLength)
            {
                problems.Add(new(QuestionError.TextTooLong, i, Detail: Count(text.Length)));
            }
            else if (!texts.Add(Identity(text)))
            {
                problems.Add(new(QuestionError.DuplicateText, i, Detail: text));
            }

            ValidateChoices(question.Choices, i, text, problems);
        }

        return problems;
    }

    private static void ValidateChoices(IReadOnlyList<string> choices, int question, string text, List<QuestionProblem> problems)
    {
        if (choices.Count == 0)
        {
            return;
        }

        // One choice is no choice: almost always a separator typed wrong ("行业: 汽车,互联网").
        if (choices.Count == 1)
        {
            problems.Add(new(QuestionError.TooFewChoices, question, Detail: text));
        }
        else if (choices.Count > QuestionLimits.MaxChoices)
        {
            problems.Add(new(QuestionError.TooManyChoices, question, Detail: Count(choices.Count)));
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var c = 0; c < choices.Count; c++)
        {
            var choice = choices[c].Trim();
            if (choice.Length == 0)
            {
                problems.Add(new(QuestionError.EmptyChoice, question, c));
            }
            else if (choice.Length > QuestionLimits.MaxChoiceLength)
            {
                problems.Add(new(QuestionError.ChoiceTooLong, question, c, choice));
            }
            else if (!seen.Add(choice))
            {
                problems.Add(new(QuestionError.DuplicateChoice, question, c, choice));
            }
        }
    }

    /// <summary>
    /// What makes two question texts the same question: chat commands arrive NFKC-normalised ("？" as "?")
    /// while the configuration keeps what was typed, and an answer must not be lost to that difference.
    /// </summary>
    public static string Identity(string text) => TextNormalizer.Normalize(text);

    /// <summary>The same questions with their texts and choices trimmed, as they are stored and asked.</summary>
    public static IReadOnlyList<QuestionSpec> Tidy(IEnumerable<QuestionSpec> questions) =>
        [.. questions.Select(q => new QuestionSpec(q.Text.Trim(), [.. q.Choices.Select(c => c.Trim())], q.IsRequired))];

    private static string Count(int count) => count.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

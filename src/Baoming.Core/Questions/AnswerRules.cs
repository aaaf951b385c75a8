using Baoming.Core.Understanding;

namespace Baoming.Core.Questions;

/// <summary>What a reader's typed text is, as an answer to one question.</summary>
public abstract record AnswerCheck
{
    private AnswerCheck()
    {
    }

    /// <summary>An answer to store: the text as typed (trimmed), or the choice as the organizer wrote it.</summary>
    public sealed record Accepted(string Answer) : AnswerCheck;

    /// <summary>"跳过" to an optional question.</summary>
    public sealed record Skip : AnswerCheck;

    /// <summary>"不变" while an answer is already recorded.</summary>
    public sealed record Keep : AnswerCheck;

    /// <summary>Nothing but blanks.</summary>
    public sealed record Empty : AnswerCheck;

    public sealed record TooLong(int Length) : AnswerCheck;

    /// <summary>A choice question answered with something that is none of its choices.</summary>
    public sealed record NotAChoice : AnswerCheck;

    /// <summary>"跳过" to a required question.</summary>
    public sealed record Required : AnswerCheck;
}

/// <summary>Checks a typed answer. Pure: the dialogue stores what is accepted and re-asks for the rest.</summary>
public static class AnswerRules
{
    private static readonly HashSet<string> SkipWords = new(StringComparer.Ordinal) { "跳过", "略过", "不填", "不想填", "skip", "pass" };

    private static readonly HashSet<string> KeepWords = new(StringComparer.Ordinal) { "不变", "保持不变", "不改", "keep" };

    public static AnswerCheck Check(QuestionSpec question, string? text, bool hasAnswer)
    {
        ArgumentNullException.ThrowIfNull(question);
        var answer = text?.Trim() ?? "";
        var normalized = TextNormalizer.Normalize(answer).TrimEnd('.', '。', '!', '！');
        if (normalized.Length == 0)
        {
            return new AnswerCheck.Empty();
        }

        // A choice typed out wins over the special words: an organizer may well offer "不变" as a choice.
        if (question.IsChoice && Array.Find([.. question.Choices], c => TextNormalizer.Normalize(c) == normalized) is { } choice)
        {
            return new AnswerCheck.Accepted(choice);
        }

        if (hasAnswer && KeepWords.Contains(normalized))
        {
            return new AnswerCheck.Keep();
        }

        if (SkipWords.Contains(normalized))
        {
            return question.IsRequired ? new AnswerCheck.Required() : new AnswerCheck.Skip();
        }

        if (question.IsChoice)
        {
            return new AnswerCheck.NotAChoice();
        }

        return answer.Length > QuestionLimits.MaxAnswerLength ? new AnswerCheck.TooLong(answer.Length) : new AnswerCheck.Accepted(answer);
    }
}

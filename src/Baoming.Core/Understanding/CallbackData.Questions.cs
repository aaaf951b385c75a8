using System.Diagnostics.CodeAnalysis;

namespace Baoming.Core.Understanding;

/// <summary>A press of a sign-up question's button, once its data has been checked.</summary>
public abstract record QuestionButton
{
    private QuestionButton()
    {
    }

    /// <summary>Choice <see cref="Choice"/> (1-based) of question <see cref="QuestionId"/>.</summary>
    public sealed record Choose(long QuestionId, int Choice) : QuestionButton;

    /// <summary>跳过 an optional question.</summary>
    public sealed record Skip(long QuestionId) : QuestionButton;

    /// <summary>保持不变: keep the recorded answer.</summary>
    public sealed record Keep(long QuestionId) : QuestionButton;

    /// <summary>修改回答 under 我的报名: ask the session's questions again.</summary>
    public sealed record Edit(long SessionId) : QuestionButton;
}

public static partial class CallbackData
{
    /// <summary>
    /// "qa:a:7:2" chooses choice 2 of question 7; "qa:s:7" skips it; "qa:k:7" keeps its answer;
    /// "qa:e:42" asks session 42's questions again. Ids, never text: a choice is named by its place.
    /// </summary>
    public static class Questions
    {
        private const string ChooseCode = "a";
        private const string SkipCode = "s";
        private const string KeepCode = "k";
        private const string EditCode = "e";

        public static string Choose(long questionId, int choice) =>
            Build(Prefixes.Question, ChooseCode) + Separator + Id(questionId) + Separator + Id(choice);

        public static string Skip(long questionId) => Build(Prefixes.Question, SkipCode) + Separator + Id(questionId);

        public static string Keep(long questionId) => Build(Prefixes.Question, KeepCode) + Separator + Id(questionId);

        public static string Edit(long sessionId) => Build(Prefixes.Question, EditCode) + Separator + Id(sessionId);

        /// <summary>The payload after "qa:", in exactly one of the forms written here.</summary>
        public static bool TryParse(string? payload, [NotNullWhen(true)] out QuestionButton? button)
        {
            button = null;
            var parts = payload?.Split(Separator) ?? [];
            if (payload is null || payload.Length > MaxBytes || parts.Length is < 2 or > 3 || !TryParseId(parts[1], out var id))
            {
                return false;
            }

            button = (parts[0], parts.Length) switch
            {
                (ChooseCode, 3) when TryParseId(parts[2], out var choice) && choice <= int.MaxValue => new QuestionButton.Choose(id, (int)choice),
                (SkipCode, 2) => new QuestionButton.Skip(id),
                (KeepCode, 2) => new QuestionButton.Keep(id),
                (EditCode, 2) => new QuestionButton.Edit(id),
                _ => null,
            };
            return button is not null;
        }
    }
}

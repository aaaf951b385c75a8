using System.Globalization;
using Baoming.Core.Questions;
using Baoming.Sessions;

namespace Baoming.Questions;

/// <summary>
/// The rules of <see cref="QuestionRules"/> for <c>Sessions:N:Questions</c>, checked at start-up: each
/// failure names its key with the real indexes (<c>Sessions:2:Questions:1:Choices</c>), so the operator
/// finds the line to fix.
/// </summary>
public sealed class QuestionOptionsValidator : IValidateOptions<SessionCatalogOptions>
{
    public ValidateOptionsResult Validate(string? name, SessionCatalogOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        for (var s = 0; s < options.Sessions.Count; s++)
        {
            var specs = options.Sessions[s].Questions.Select(q => new QuestionSpec(q.Text ?? "", q.Choices ?? [], q.Required)).ToList();
            failures.AddRange(QuestionRules.Validate(specs).Select(p => Describe(s, p)));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string Describe(int session, QuestionProblem problem)
    {
        var questions = string.Create(CultureInfo.InvariantCulture, $"Sessions:{session}:Questions");
        var question = string.Create(CultureInfo.InvariantCulture, $"{questions}:{problem.Question}");
        var choice = string.Create(CultureInfo.InvariantCulture, $"{question}:Choices:{problem.Choice}");
        return problem.Error switch
        {
            QuestionError.TooManyQuestions => $"{questions} may list at most {QuestionLimits.MaxQuestions} questions (has {problem.Detail}).",
            QuestionError.EmptyText => $"{question}:Text is required.",
            QuestionError.TextTooLong => $"{question}:Text must be at most {QuestionLimits.MaxTextLength} characters (has {problem.Detail}).",
            QuestionError.DuplicateText => $"{question}:Text \"{problem.Detail}\" is already the text of another question of this session.",
            QuestionError.TooFewChoices => $"{question}:Choices must list at least 2 choices, or none for a text question.",
            QuestionError.TooManyChoices => $"{question}:Choices may list at most {QuestionLimits.MaxChoices} choices (has {problem.Detail}).",
            QuestionError.EmptyChoice => $"{choice} must not be empty.",
            QuestionError.ChoiceTooLong => $"{choice} must be at most {QuestionLimits.MaxChoiceLength} characters (\"{problem.Detail}\").",
            _ => $"{choice} \"{problem.Detail}\" duplicates another choice of {question}:Choices.",
        };
    }
}

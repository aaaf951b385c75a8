namespace Baoming.Core.Questions;

/// <summary>
/// One question's answers among a session's sign-ups: how many answered and, for a choice question, how
/// many chose each choice (in the organizer's order) and how many gave an answer that is no longer a
/// choice (the choices changed after they answered).
/// </summary>
public sealed record QuestionTally(SessionQuestion Question, int Answered, IReadOnlyList<(string Choice, int Count)> Choices, int Other);

public static class AnswerSummary
{
    /// <summary>Tallies <paramref name="answers"/> (question id, answer) for each of <paramref name="questions"/>, in their order.</summary>
    public static IReadOnlyList<QuestionTally> Tally(IReadOnlyList<SessionQuestion> questions, IEnumerable<(long QuestionId, string Answer)> answers)
    {
        ArgumentNullException.ThrowIfNull(questions);
        var byQuestion = answers.GroupBy(a => a.QuestionId).ToDictionary(g => g.Key, g => g.Select(a => a.Answer).ToList());
        return [.. questions.Select(q =>
        {
            var given = byQuestion.GetValueOrDefault(q.Id) ?? [];
            var counts = q.Choices.Select(c => (c, given.Count(a => a == c))).ToList();
            return new QuestionTally(q, given.Count, counts, q.IsChoice ? given.Count - counts.Sum(c => c.Item2) : 0);
        })];
    }
}

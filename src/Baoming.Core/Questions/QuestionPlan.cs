namespace Baoming.Core.Questions;

/// <summary>A question as stored, current or taken out (<see cref="IsRemoved"/>), for <see cref="QuestionPlan"/>.</summary>
public sealed record StoredQuestion(long Id, QuestionSpec Spec, bool IsRemoved);

/// <summary>
/// How to turn a session's stored questions into the wanted ones without losing an answer: a wanted
/// question whose text is already stored (<see cref="QuestionRules.Identity"/>) keeps that id (its answers),
/// even when it was taken out before;
/// a new text is a new question; a stored question whose text is no longer wanted is taken out, not
/// deleted, so its answers stay in the export.
/// </summary>
public sealed record QuestionPlan(IReadOnlyList<(long? Id, QuestionSpec Spec)> Wanted, IReadOnlyList<long> Removed, bool IsChange)
{
    public static QuestionPlan Make(IReadOnlyList<StoredQuestion> stored, IReadOnlyList<QuestionSpec> wanted)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(wanted);
        // A current question wins over a removed one of the same text (two could only meet after a rename).
        var byText = new Dictionary<string, StoredQuestion>(StringComparer.Ordinal);
        foreach (var question in stored.OrderBy(q => q.IsRemoved ? 0 : 1))
        {
            byText[QuestionRules.Identity(question.Spec.Text)] = question;
        }

        var plan = wanted.Select(w => (byText.TryGetValue(QuestionRules.Identity(w.Text), out var found) ? found.Id : (long?)null, w)).ToList();
        var keptIds = plan.Where(p => p.Item1 is not null).Select(p => p.Item1!.Value).ToHashSet();
        var removed = stored.Where(q => !q.IsRemoved && !keptIds.Contains(q.Id)).Select(q => q.Id).ToList();
        var current = stored.Where(q => !q.IsRemoved).ToList();
        var isChange = current.Count != wanted.Count
            || current.Zip(wanted).Any(pair => !pair.First.Spec.SameAs(pair.Second));
        return new(plan, removed, isChange);
    }
}

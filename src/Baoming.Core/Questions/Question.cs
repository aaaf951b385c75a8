namespace Baoming.Core.Questions;

/// <summary>
/// A question as an organizer writes it (configuration or <c>/editsession KEY questions …</c>): free text
/// when <see cref="Choices"/> is empty, else one of the choices.
/// </summary>
public sealed record QuestionSpec(string Text, IReadOnlyList<string> Choices, bool IsRequired)
{
    public bool IsChoice => Choices.Count > 0;

    /// <summary>Records compare lists by reference; two specs are the same question when every part is equal.</summary>
    public bool SameAs(QuestionSpec other) =>
        other is not null && Text == other.Text && IsRequired == other.IsRequired && Choices.SequenceEqual(other.Choices, StringComparer.Ordinal);
}

/// <summary>
/// A stored question of a session. <see cref="Id"/> is stable while the text stays the same, so answers
/// survive an edit of the choices, the order or whether it is required; <see cref="Number"/> is its place
/// (1, 2, …) among the session's current questions.
/// </summary>
public sealed record SessionQuestion(long Id, int Number, QuestionSpec Spec)
{
    public string Text => Spec.Text;

    public IReadOnlyList<string> Choices => Spec.Choices;

    public bool IsRequired => Spec.IsRequired;

    public bool IsChoice => Spec.IsChoice;
}

/// <summary>Caps on a session's questions, the same for the configuration and for chat.</summary>
public static class QuestionLimits
{
    public const int MaxQuestions = 10;

    public const int MaxTextLength = 100;

    public const int MaxChoices = 10;

    public const int MaxChoiceLength = 30;

    /// <summary>A reader's typed answer; a longer one is refused with a re-ask.</summary>
    public const int MaxAnswerLength = 200;
}

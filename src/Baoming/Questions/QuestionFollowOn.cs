using Baoming.Core;
using Baoming.Core.Replies;
using Baoming.Signup;

namespace Baoming.Questions;

/// <summary>
/// The questions' part of the sign-up: after a new sign-up of a session with questions, the first
/// question in the same answer (the seat is already taken); under 我的报名, 修改回答 for each such session.
/// </summary>
public sealed class QuestionFollowOn(QuestionFlow flow, QuestionRepository questions) : ISignupFollowOn
{
    public async Task<IReadOnlyList<Outgoing>> AfterSignUpAsync(Incoming incoming, Session session, Texts texts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(incoming);
        return await flow.StartAsync(incoming.From.UserId, session, texts, isEdit: false, cancellationToken) is { } first
            ? [new Outgoing(incoming.ChatId, first)]
            : [];
    }

    public async Task<IReadOnlyList<Button>> MySignupsButtonsAsync(long memberId, IReadOnlyList<MemberSignup> signups, Texts texts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(signups);
        ArgumentNullException.ThrowIfNull(texts);
        var buttons = new List<Button>();
        foreach (var signup in signups)
        {
            if ((await questions.CurrentAsync(signup.Session.Id, cancellationToken)).Count > 0)
            {
                buttons.Add(texts.EditAnswersButton(signup.Session));
            }
        }

        return buttons;
    }
}

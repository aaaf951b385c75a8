using Baoming.Core;
using Baoming.Core.Replies;

namespace Baoming.Signup;

/// <summary>
/// A feature's part of the readers' sign-up conversation (e.g. the questions at sign-up), called by
/// <see cref="ReaderConversation"/> so that Signup names no later feature. Zero or more are registered.
/// </summary>
public interface ISignupFollowOn
{
    /// <summary>
    /// Messages to send after the reply to a new confirmed or waitlisted sign-up of <paramref name="session"/>.
    /// Called once the seat is committed, so it never delays the seat itself; none when the feature has nothing to add.
    /// </summary>
    Task<IReadOnlyList<Outgoing>> AfterSignUpAsync(Incoming incoming, Session session, Texts texts, CancellationToken cancellationToken);

    /// <summary>Buttons under 我的报名 for the member's sign-ups (e.g. 修改回答 per session with questions); none when it has nothing to offer.</summary>
    Task<IReadOnlyList<Button>> MySignupsButtonsAsync(long memberId, IReadOnlyList<MemberSignup> signups, Texts texts, CancellationToken cancellationToken);

    /// <summary>Lines under 我的报名, shown even when the member has no sign-ups (e.g. the series they follow); none by default.</summary>
    Task<IReadOnlyList<string>> MySignupsLinesAsync(long memberId, Texts texts, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>([]);
}

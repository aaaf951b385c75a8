using Baoming.Core;
using Baoming.Core.Replies;
using Baoming.Signup;

namespace Baoming.Series;

/// <summary>
/// The series' part of the sign-up: after a new sign-up of a session in a series the member does not follow,
/// one short message with "以后的场次也通知我"; under 我的报名, what they follow and a 退订 button for each.
/// </summary>
public sealed class SeriesFollowOn(SeriesRepository series) : ISignupFollowOn
{
    public async Task<IReadOnlyList<Outgoing>> AfterSignUpAsync(Incoming incoming, Session session, Texts texts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(incoming);
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(texts);
        return await series.OfSessionCachedAsync(session.Id, cancellationToken) is { } info
            && !await series.IsFollowingAsync(incoming.From.UserId, info.Id, cancellationToken)
                ? [new Outgoing(incoming.ChatId, texts.OfferFollow(info))]
                : [];
    }

    public async Task<IReadOnlyList<Button>> MySignupsButtonsAsync(long memberId, IReadOnlyList<MemberSignup> signups, Texts texts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(texts);
        return [.. (await series.FollowedAsync(memberId, cancellationToken)).Select(texts.UnfollowButton)];
    }

    public async Task<IReadOnlyList<string>> MySignupsLinesAsync(long memberId, Texts texts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var followed = await series.FollowedAsync(memberId, cancellationToken);
        return followed.Count == 0 ? [] : [texts.FollowedSeriesLine(followed)];
    }
}

using Baoming.Chat;
using Baoming.Core;
using Baoming.Core.Series;
using Baoming.Core.Understanding;

namespace Baoming.Series;

/// <summary>
/// "订阅 选题会" / "关注选题会" and "退订选题会" / "取消订阅 …" from any reader: one series named, it is done; "订阅"
/// alone, several named, or none, and the bot shows buttons (and says nothing matched) rather than guess.
/// A follow by text records the source "chat".
/// </summary>
public sealed class SeriesIntentHandler(SeriesRepository series) : IIntentHandler
{
    public const string ChatSource = "chat";

    public Role Requires => Role.Reader;

    public bool Claims(Intent intent) => intent is Intent.Follow or Intent.Unfollow;

    public async Task<Response> HandleAsync(ChatContext context, Intent intent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var texts = context.Texts;
        switch (intent)
        {
            case Intent.Follow { Query: var query }:
                var all = await series.AllAsync(cancellationToken);
                switch (query is null ? new SeriesMatch.None() : SeriesMatcher.Match(query, all))
                {
                    case SeriesMatch.One one:
                        await series.FollowAsync(context.MemberId, one.Series.Id, ChatSource, cancellationToken);
                        return context.Reply(texts.Followed(one.Series));
                    case SeriesMatch.Many many:
                        return context.Reply(texts.ChooseSeriesToFollow(many.Series, query, isAmbiguous: true));
                    default:
                        return context.Reply(texts.ChooseSeriesToFollow(all, query));
                }

            case Intent.Unfollow { Query: var query }:
                var followed = await series.FollowedAsync(context.MemberId, cancellationToken);
                if (query is null)
                {
                    return context.Reply(texts.ChooseSeriesToUnfollow(followed));
                }

                // Named among all series, so "退订 X" for a series not followed says so rather than "no such series".
                switch (SeriesMatcher.Match(query, await series.AllAsync(cancellationToken)))
                {
                    case SeriesMatch.One one:
                        return context.Reply(await series.UnfollowAsync(context.MemberId, one.Series.Id, cancellationToken)
                            ? texts.Unfollowed(one.Series)
                            : texts.NotFollowing(one.Series));
                    case SeriesMatch.Many many:
                        var mine = followed.Where(f => many.Series.Any(s => s.Id == f.Id)).ToList();
                        if (mine.Count == 1)
                        {
                            await series.UnfollowAsync(context.MemberId, mine[0].Id, cancellationToken);
                            return context.Reply(texts.Unfollowed(mine[0]));
                        }

                        return context.Reply(texts.ChooseSeriesToUnfollow(mine.Count > 0 ? mine : followed, query, isAmbiguous: mine.Count > 0));
                    default:
                        return context.Reply(texts.ChooseSeriesToUnfollow(followed, query));
                }

            default:
                return context.Reply(texts.NotUnderstood());
        }
    }
}

/// <summary>
/// "以后的场次也通知我" (<c>sf:&lt;series&gt;</c>), under a new sign-up or the list of series: follows, once however
/// often pressed, with the source "signup". A forged or stale series: the button has expired, nothing stored.
/// </summary>
public sealed class FollowButton(SeriesRepository series) : IButtonHandler
{
    public const string ButtonSource = "signup";

    public string Prefix => CallbackData.Prefixes.Follow;

    public Role Requires => Role.Reader;

    public async Task<Response?> HandleAsync(ChatContext context, string payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!CallbackData.Series.TryParseSeries(payload, out var seriesId) || await series.FindAsync(seriesId, cancellationToken) is not { } info)
        {
            return null;
        }

        await series.FollowAsync(context.MemberId, info.Id, ButtonSource, cancellationToken);
        return context.Reply(context.Texts.Followed(info));
    }
}

/// <summary>退订 (<c>sx:&lt;series&gt;</c>) under 我的报名 or an invitation: the follow is deleted.</summary>
public sealed class UnfollowButton(SeriesRepository series) : IButtonHandler
{
    public string Prefix => CallbackData.Prefixes.Unfollow;

    public Role Requires => Role.Reader;

    public async Task<Response?> HandleAsync(ChatContext context, string payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!CallbackData.Series.TryParseSeries(payload, out var seriesId) || await series.FindAsync(seriesId, cancellationToken) is not { } info)
        {
            return null;
        }

        return context.Reply(await series.UnfollowAsync(context.MemberId, info.Id, cancellationToken)
            ? context.Texts.Unfollowed(info)
            : context.Texts.NotFollowing(info));
    }
}

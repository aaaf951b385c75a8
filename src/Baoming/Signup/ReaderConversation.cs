using System.Globalization;
using Baoming.Chat;
using Baoming.Community;
using Baoming.Core;
using Baoming.Core.Calendar;
using Baoming.Core.Replies;
using Baoming.Core.Signup;
using Baoming.Core.Understanding;
using Baoming.Sessions;

namespace Baoming.Signup;

/// <summary>
/// The readers' own conversation: 报名 (by list, name, date or deep link), questions about a session,
/// 取消, 我的报名, help, the session buttons, and 报名 in a group. The engine hands it every message no
/// organizer command, feature button or open dialogue claims. Features add to a new sign-up's answer and
/// to 我的报名 through <see cref="ISignupFollowOn"/>.
/// </summary>
public sealed partial class ReaderConversation(
    SessionRepository sessions,
    SignupBatcher signups,
    RegistrationStore registrations,
    IEnumerable<ISignupFollowOn> followOns,
    IMemberJoinUrl joinUrls,
    BotIdentity bot,
    IOptions<CommunityOptions> community,
    TimeProvider time,
    ILogger<ReaderConversation> logger) : IReaderConversation
{
    private readonly ISignupFollowOn[] followOns = [.. followOns];

    private readonly TimeZoneInfo zone = community.Value.Zone;

    public async Task<Response> HandleAsync(Incoming incoming, Intent intent, Texts texts, CancellationToken cancellationToken)
    {
        var chat = incoming.ChatId;
        switch (intent)
        {
            // Upcoming sessions include those whose sign-up opens later: listed with the time, without a button.
            // The clock is read at each answer (not with the cached list), so they turn open on time.
            case Intent.SignUp { Query: null }:
            case Intent.Start { Payload: null }:
                return Response.To(chat, texts.SessionList(await sessions.GetOpenAsync(cancellationToken), now: time.GetUtcNow()));

            case Intent.SignUp { Query: { } query }:
                var open = await sessions.GetOpenAsync(cancellationToken);
                return SessionMatcher.Match(query, open, zone) switch
                {
                    // Words the bot did not understand around the session's name: say what it understood and offer the
                    // button, or when sign-up opens (a button now would only be refused). Named alone, the rules decide:
                    // "not open yet", or "already signed up" for a member who was.
                    MatchResult.One one when !SessionMatcher.IsOnlyAbout(query, one.Session, zone) => Response.To(chat, OfferOrOpening(one.Session, texts)),
                    MatchResult.One one => await SignUpAsync(incoming, one.Session.Id, texts, cancellationToken) ?? Response.To(chat, texts.NoMatch(query, open, time.GetUtcNow())),
                    MatchResult.Many many => Response.To(chat, texts.Ambiguous(query, many.Sessions, time.GetUtcNow())),
                    _ => Response.To(chat, texts.NoMatch(query, open, time.GetUtcNow())),
                };

            case Intent.Ask { Query: var question }:
                // A question never signs up: it gets the session's button ("要报名「…」吗？"), or the list.
                var offered = await sessions.GetOpenAsync(cancellationToken);
                return (question is null ? new MatchResult.None() : SessionMatcher.Match(question, offered, zone)) switch
                {
                    MatchResult.One one => Response.To(chat, OfferOrOpening(one.Session, texts)),
                    MatchResult.Many many => Response.To(chat, texts.Ambiguous(question!, many.Sessions, time.GetUtcNow())),
                    _ => Response.To(chat, texts.SessionList(offered, now: time.GetUtcNow())),
                };

            case Intent.Start { Payload: { } payload }:
                // "metaverse-wx36kr": the session and where the link was posted; the card's button carries the source.
                // Before its sign-up opens the card says when, without the button.
                foreach (var (key, source) in DeepLinks.Readings(payload))
                {
                    if (await sessions.FindByKeyAsync(key, cancellationToken) is { } hit && hit.Session.IsOpenAt(time.GetUtcNow()))
                    {
                        return Response.To(chat, texts.SessionCard(hit.Session, hit.Confirmed, source, time.GetUtcNow()));
                    }
                }

                return Response.To(chat, texts.SessionList(await sessions.GetOpenAsync(cancellationToken), now: time.GetUtcNow()));

            case Intent.Cancel cancel:
                return await CancelAsync(incoming, cancel.Query, cancel.IsQuestion, texts, cancellationToken);

            case Intent.MySignups:
                var mine = await registrations.ListForMemberAsync(incoming.From.UserId, time.GetUtcNow(), cancellationToken);
                var buttons = new List<Button>();
                var lines = new List<string>();
                foreach (var followOn in followOns)
                {
                    buttons.AddRange(await followOn.MySignupsButtonsAsync(incoming.From.UserId, mine, texts, cancellationToken));
                    lines.AddRange(await followOn.MySignupsLinesAsync(incoming.From.UserId, texts, cancellationToken));
                }

                return Response.To(chat, texts.MySignups(mine, buttons, lines));

            case Intent.Help:
                return Response.To(chat, texts.Help());

            default:
                return Response.To(chat, texts.NotUnderstood());
        }
    }

    public async Task<Response?> HandleButtonAsync(Incoming incoming, string? data, Texts texts, CancellationToken cancellationToken)
    {
        Response? response = null;
        if (CallbackData.TryParse(data, out var action))
        {
            response = action switch
            {
                ButtonAction.SignUp signUp => await SignUpAsync(incoming, signUp.SessionId, texts, cancellationToken, signUp.Source),
                ButtonAction.Cancel cancel => await CancelOneAsync(incoming, cancel.SessionId, texts, cancellationToken),
                ButtonAction.Attend attend => await AttendAsync(incoming, attend.SessionId, texts, cancellationToken),
                ButtonAction.Calendar calendar => await CalendarAsync(incoming, calendar.SessionId, texts, cancellationToken),
                _ => null,
            };
        }
        else if (CallbackData.TryParseSessionPage(data, out var page))
        {
            // 更多场次: the next page of the list, read afresh (a forged page shows the last one).
            response = Response.To(incoming.ChatId, texts.SessionList(await sessions.GetOpenAsync(cancellationToken), page: page, now: time.GetUtcNow()));
        }

        return response;
    }

    private async Task<Response?> SignUpAsync(Incoming incoming, long sessionId, Texts texts, CancellationToken cancellationToken, string? source = null)
    {
        var now = time.GetUtcNow();
        var result = await signups.SignUpAsync(incoming.From.UserId, sessionId, now, cancellationToken, source);
        if (result is null)
        {
            return null;
        }

        var session = result.Session;
        var inLastHour = session.StartsAt - now <= ReminderRules.JoinLinkWindow;
        var reply = result.Decision switch
        {
            SignupDecision.Confirm when inLastHour => texts.Confirmed(session, includeJoinUrl: true, await joinUrls.ForAsync(session, incoming.From.UserId, cancellationToken)),
            SignupDecision.Confirm => texts.Confirmed(session, includeJoinUrl: false),
            SignupDecision.Waitlist waitlist => texts.Waitlisted(session, waitlist.Position),
            SignupDecision.AlreadyConfirmed => texts.AlreadyConfirmed(session),
            SignupDecision.AlreadyWaitlisted waitlisted => texts.AlreadyWaitlisted(session, waitlisted.Position),
            SignupDecision.NotYetOpen notYet => texts.NotYetOpen(session, notYet.OpensAt),
            _ => texts.Closed(session),
        };
        var messages = new List<Outgoing> { new(incoming.ChatId, reply) };
        if (result.Decision is SignupDecision.Confirm or SignupDecision.Waitlist)
        {
            messages.AddRange(await FollowOnsAsync(incoming, session, texts, cancellationToken));
        }

        return new Response(messages, FirstLine(reply));
    }

    /// <summary>
    /// What features add after a new sign-up (the first question). The seat is already committed: a failure
    /// here is logged and the confirmation still goes out, because handling the message again would only
    /// answer "already signed up" (the questions can be answered later from 我的报名).
    /// </summary>
    private async Task<IReadOnlyList<Outgoing>> FollowOnsAsync(Incoming incoming, Session session, Texts texts, CancellationToken cancellationToken)
    {
        var messages = new List<Outgoing>();
        foreach (var followOn in followOns)
        {
            try
            {
                messages.AddRange(await followOn.AfterSignUpAsync(incoming, session, texts, cancellationToken));
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogFollowOnFailed(exception, followOn.GetType().Name, session.Id);
            }
        }

        return messages;
    }

    [LoggerMessage(EventId = 1171, Level = LogLevel.Error, Message = "{FollowOn} failed after a sign-up of session {SessionId}; the confirmation is sent without it")]
    private partial void LogFollowOnFailed(Exception exception, string followOn, long sessionId);

    private async Task<Response> CancelAsync(Incoming incoming, string? query, bool isQuestion, Texts texts, CancellationToken cancellationToken)
    {
        var mine = await registrations.ListForMemberAsync(incoming.From.UserId, time.GetUtcNow(), cancellationToken);
        var candidates = mine.Select(s => s.Session).ToList();
        if (candidates.Count == 0)
        {
            return Response.To(incoming.ChatId, texts.NothingToCancel());
        }

        if (query is not null)
        {
            candidates = SessionMatcher.Match(query, candidates, zone) switch
            {
                MatchResult.One one => [one.Session],
                MatchResult.Many many => [.. many.Sessions],
                _ => candidates,
            };
        }

        if (isQuestion)
        {
            // "能取消吗？" is asked, not decided: the buttons, and nothing cancelled until one is pressed.
            return Response.To(incoming.ChatId, candidates.Count == 1 ? texts.OfferCancel(candidates[0]) : texts.ChooseToCancel(candidates));
        }

        return candidates.Count == 1
            ? await CancelOneAsync(incoming, candidates[0].Id, texts, cancellationToken) ?? Response.To(incoming.ChatId, texts.NothingToCancel())
            : Response.To(incoming.ChatId, texts.ChooseToCancel(candidates));
    }

    private async Task<Response?> CancelOneAsync(Incoming incoming, long sessionId, Texts texts, CancellationToken cancellationToken)
    {
        var result = await registrations.CancelAsync(incoming.From.UserId, sessionId, time.GetUtcNow(), cancellationToken);
        if (result is null)
        {
            return null;
        }

        var reply = result.Decision switch
        {
            CancelDecision.Cancel => texts.Cancelled(result.Session),
            CancelDecision.TooLate => texts.TooLateToCancel(result.Session),
            _ => texts.NotSignedUp(result.Session),
        };

        // Promoted members are told through the ledger (Signup/PromotionTopic); nothing about them goes to the canceller.
        return new Response([new Outgoing(incoming.ChatId, reply)], FirstLine(reply));
    }

    /// <summary>"我会参加" under a reminder: noted for the organizers, and a friendly answer.</summary>
    private async Task<Response?> AttendAsync(Incoming incoming, long sessionId, Texts texts, CancellationToken cancellationToken)
    {
        var session = await registrations.MarkAttendingAsync(incoming.From.UserId, sessionId, cancellationToken);
        return session is null ? null : new Response([new Outgoing(incoming.ChatId, texts.Attending(session))], FirstLine(texts.Attending(session)));
    }

    /// <summary>"加入日历": an .ics file; the join link is in it only for confirmed members.</summary>
    private async Task<Response?> CalendarAsync(Incoming incoming, long sessionId, Texts texts, CancellationToken cancellationToken)
    {
        var signup = (await registrations.ListForMemberAsync(incoming.From.UserId, time.GetUtcNow(), cancellationToken))
            .FirstOrDefault(s => s.Session.Id == sessionId);
        var session = signup?.Session ?? await sessions.FindAsync(sessionId, cancellationToken);
        if (session is null)
        {
            return null;
        }

        var joinUrl = signup?.Status == RegistrationStatus.Confirmed ? await joinUrls.ForAsync(session, incoming.From.UserId, cancellationToken) : null;
        var ics = IcsCalendar.Build(session, joinUrl, time.GetUtcNow(), alarmBefore: TimeSpan.FromMinutes(30));
        return new Response([], texts.CalendarSent())
        {
            Documents = [new OutgoingDocument(incoming.ChatId, $"{session.Key}.ics", new MemoryStream(System.Text.Encoding.UTF8.GetBytes(ics), writable: false), session.Title)],
        };
    }

    /// <summary>"报名" in a group: a button into the private chat, and nothing personal in the group.</summary>
    public async Task<Response> HandleGroupAsync(Incoming incoming, Texts texts, CancellationToken cancellationToken)
    {
        var intent = incoming is Incoming.Text text ? MessageParser.Parse(text.Content) : null;
        if (intent is not (Intent.SignUp or Intent.Start { Payload: null }))
        {
            return Response.None;
        }

        var payload = "signup";
        if (intent is Intent.SignUp { Query: { } query }
            && SessionMatcher.Match(query, await sessions.GetOpenAsync(cancellationToken), zone) is MatchResult.One one)
        {
            // The group is the source ("g" and its id without the sign), when it fits Telegram's 64 characters.
            var tagged = string.Create(CultureInfo.InvariantCulture, $"{one.Session.Key}-g{Math.Abs(incoming.ChatId)}");
            payload = tagged.Length <= CallbackData.MaxBytes ? tagged : one.Session.Key;
        }

        return Response.To(incoming.ChatId, texts.GoToPrivateChat(bot.DeepLink(payload)));
    }

    /// <summary>The session's sign-up button, or when its sign-up opens if that is still to come.</summary>
    private Reply OfferOrOpening(Session session, Texts texts) =>
        SignupRules.IsBeforeOpening(session, time.GetUtcNow()) ? texts.NotYetOpen(session, session.OpensAt!.Value) : texts.OfferSignUp(session);

    /// <summary>A button press gets a short notice on the button too: the first line of the reply.</summary>
    private static string FirstLine(Reply reply)
    {
        var end = reply.Text.IndexOf('\n', StringComparison.Ordinal);
        return end < 0 ? reply.Text : reply.Text[..end];
    }
}

using Baoming.Audit;
using Baoming.Chat;
using Baoming.Community;
using Baoming.Core;
using Baoming.Core.Organizers;
using Baoming.Core.Replies;
using Baoming.Core.Understanding;

namespace Baoming.Sessions;

/// <summary><c>/sessions</c>: upcoming sessions, then those of the last weeks and the cancelled ones, with seat counts.</summary>
public sealed class SessionsCommand(SessionRepository sessions, IEnumerable<ISessionFacts> factSources, TimeProvider time) : IChatCommand
{
    private const int MaxEach = 15;

    private static readonly TimeSpan RecentWindow = TimeSpan.FromDays(30);

    public string Name => "sessions";

    public Role Requires => Role.Organizer;

    public async Task<Response> HandleAsync(ChatContext context, string? arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var now = time.GetUtcNow();
        var all = await sessions.ListWithSourceAsync(cancellationToken);
        var upcoming = all.Where(s => s.Session.IsOpenAt(now)).OrderBy(s => s.Session.StartsAt).Take(MaxEach).ToList();
        var recent = all.Where(s => !s.Session.IsOpenAt(now) && s.Session.StartsAt > now - RecentWindow).Take(MaxEach).ToList();
        var facts = await factSources.DescribeAllAsync([.. upcoming.Concat(recent).Select(s => s.Session.Id)], context.Texts, cancellationToken);
        return context.Reply(context.Texts.SessionsOverview(upcoming, recent, facts, now));
    }
}

/// <summary>
/// <c>/newsession KEY 2027-03-03 19:30 90 100 [opens=2027-02-24T10:00] [series=KEY] 标题…</c>: a session made in
/// chat, with its reminders; optionally opening for sign-up later and in a series.
/// </summary>
public sealed class NewSessionCommand(
    SessionRepository sessions,
    FollowUps.FollowUps followUps,
    AuditLog audit,
    IOptions<CommunityOptions> community,
    TimeProvider time) : IChatCommand
{
    /// <summary>How many series keys an unknown <c>series=</c> answer names.</summary>
    private const int MaxSeriesNamed = 20;

    public string Name => "newsession";

    public Role Requires => Role.Organizer;

    public async Task<Response> HandleAsync(ChatContext context, string? arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var texts = context.Texts;
        var parsed = OrganizerInput.ParseNewSession(arguments, community.Value.Zone, time.GetUtcNow());
        if (!parsed.IsOk)
        {
            return context.Reply(texts.NewSessionUsage(texts.InputProblem(parsed.Error!.Value, parsed.Detail)));
        }

        var input = parsed.Value!;
        long? seriesId = null;
        if (input.Series is { } seriesKey)
        {
            // Looked up before anything is stored: a mistyped series creates nothing.
            seriesId = await sessions.SeriesIdAsync(seriesKey, cancellationToken);
            if (seriesId is null)
            {
                return context.Reply(texts.UnknownSeries(seriesKey, await sessions.SeriesKeysAsync(MaxSeriesNamed, cancellationToken)));
            }
        }

        var created = await sessions.CreateAsync(input, seriesId, cancellationToken);
        if (created is null)
        {
            // The same command handled again (its first run committed, then a database error came before
            // the answer) gets the same answer, not "key taken".
            return await sessions.FindCountsByKeyAsync(input.Key, cancellationToken) is { IsFromConfiguration: false, Session: var existing }
                && existing.Title == input.Title && existing.StartsAt == input.StartsAt
                && existing.DurationMinutes == input.DurationMinutes && existing.Capacity == input.Capacity
                && existing.OpensAt == input.OpensAt
                && await sessions.SeriesKeyOfAsync(existing.Id, cancellationToken) == input.Series
                ? context.Reply(texts.SessionCreated(existing, input.Series))
                : context.Reply(texts.DuplicateKey(input.Key));
        }

        // Its reminders are planted by the follow-up recorded with the insert (at once, or by the runner).
        await followUps.RunNowAsync(cancellationToken);
        await audit.WriteAsync(context.MemberId, "session.create", new
        {
            session_id = created.Id,
            key = created.Key,
            title = created.Title,
            starts_at = created.StartsAt,
            duration_minutes = created.DurationMinutes,
            capacity = created.Capacity,
            opens_at = created.OpensAt,
            series = input.Series,
        }, cancellationToken);
        return context.Reply(texts.SessionCreated(created, input.Series));
    }
}

/// <summary>
/// <c>/editsession KEY field value</c>: title, time, capacity, link, aliases, opens. A new time re-anchors
/// the reminders and tells registrants once; a larger capacity promotes from the waitlist; a new opening
/// time (or "-": open now) is followed by the series' invitations (the <c>session-changed</c> follow-up).
/// </summary>
public sealed class EditSessionCommand(
    SessionRepository sessions,
    ISessionSeats seats,
    SessionLifecycle lifecycle,
    IEnumerable<ISessionEditField> fields,
    AuditLog audit,
    IOptions<CommunityOptions> community,
    TimeProvider time) : IChatCommand
{
    public string Name => "editsession";

    public Role Requires => Role.Organizer;

    public async Task<Response> HandleAsync(ChatContext context, string? arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var texts = context.Texts;
        var parts = OrganizerInput.Split(arguments, 3);
        if (parts.Length < 3)
        {
            return context.Reply(texts.EditSessionUsage());
        }

        var (key, field, value) = (parts[0], parts[1].ToLowerInvariant(), parts[2]);
        if (await sessions.FindCountsByKeyAsync(key, cancellationToken) is not { } found)
        {
            return context.Reply(texts.UnknownSessionKey(key));
        }

        if (found.Session.IsCancelled)
        {
            return context.Reply(texts.SessionIsCancelled(found.Session));
        }

        SessionEdit? edit = null;
        switch (field)
        {
            case "title":
                var title = OrganizerInput.ParseTitle(value);
                if (!title.IsOk)
                {
                    return context.Reply(texts.EditSessionUsage(texts.InputProblem(title.Error!.Value, title.Detail)));
                }

                edit = new SessionEdit { Title = title.Value };
                break;

            case "time":
                var when = OrganizerInput.ParseTime(value, community.Value.Zone, time.GetUtcNow());
                if (!when.IsOk)
                {
                    return context.Reply(texts.EditSessionUsage(texts.InputProblem(when.Error!.Value, when.Detail)));
                }

                if (found.Session.OpensAt is { } opensAt && when.Value <= opensAt)
                {
                    return context.Reply(texts.EditSessionUsage(texts.InputProblem(InputError.StartNotAfterOpens, OrganizerInput.LocalText(opensAt, community.Value.Zone))));
                }

                edit = new SessionEdit { StartsAt = when.Value };
                break;

            case "opens":
                DateTimeOffset? opens = null;
                if (value.Trim() != "-")
                {
                    var parsedOpens = OrganizerInput.ParseOpens(value, found.Session.StartsAt, community.Value.Zone, time.GetUtcNow());
                    if (!parsedOpens.IsOk)
                    {
                        return context.Reply(texts.EditSessionUsage(texts.InputProblem(parsedOpens.Error!.Value, parsedOpens.Detail)));
                    }

                    opens = parsedOpens.Value;
                }

                edit = new SessionEdit { SetOpensAt = true, OpensAt = opens };
                break;

            case "link":
                var link = OrganizerInput.ParseLink(value);
                if (!link.IsOk)
                {
                    return context.Reply(texts.EditSessionUsage(texts.InputProblem(link.Error!.Value, link.Detail)));
                }

                edit = new SessionEdit { SetJoinUrl = true, JoinUrl = link.Value };
                break;

            case "aliases":
                var aliases = OrganizerInput.ParseAliasList(value);
                if (!aliases.IsOk)
                {
                    return context.Reply(texts.EditSessionUsage(texts.InputProblem(aliases.Error!.Value, aliases.Detail)));
                }

                edit = new SessionEdit { Aliases = aliases.Value };
                break;

            case "capacity":
                return await SetCapacityAsync(context, found, value, cancellationToken);

            case var other when fields.FirstOrDefault(f => f.Name == other) is { } plugged:
                return await plugged.EditAsync(context, found, value, cancellationToken);

            default:
                return context.Reply(texts.EditSessionUsage(texts.InputProblem(InputError.UnknownField, field)));
        }

        if (await sessions.UpdateAsync(found.Session.Id, edit, cancellationToken) is not var (before, after))
        {
            return context.Reply(texts.SessionIsCancelled(found.Session));
        }

        if (before.StartsAt != after.StartsAt || before.OpensAt != after.OpensAt)
        {
            // The trigger recorded the move or the session-changed follow-up with the update: run it now.
            await lifecycle.MovedAsync(cancellationToken);
        }

        await audit.WriteAsync(context.MemberId, "session.edit", new
        {
            session_id = after.Id,
            key = after.Key,
            field,
            before = Describe(before, field),
            after = Describe(after, field),
        }, cancellationToken);
        return context.Reply(texts.SessionEdited(after, field, promoted: 0, found.IsFromConfiguration));
    }

    private async Task<Response> SetCapacityAsync(ChatContext context, SessionCounts found, string value, CancellationToken cancellationToken)
    {
        var texts = context.Texts;
        if (!OrganizerInput.TryParseCapacity(value.Trim(), out var capacity))
        {
            return context.Reply(texts.EditSessionUsage(texts.InputProblem(InputError.BadCapacity, value)));
        }

        if (await seats.SetCapacityAsync(found.Session.Id, capacity, cancellationToken) is not var (session, promoted))
        {
            return context.Reply(texts.UnknownSessionKey(found.Session.Key));
        }

        sessions.ForgetCached();
        await audit.WriteAsync(context.MemberId, "session.edit", new
        {
            session_id = session.Id,
            key = session.Key,
            field = "capacity",
            before = found.Session.Capacity,
            after = capacity,
            promoted = promoted.ToArray(),
        }, cancellationToken);

        // As on a cancellation, the promoted members are told through the ledger, each in their own language.
        return context.Reply(texts.SessionEdited(session, "capacity", promoted.Count, found.IsFromConfiguration));
    }

    private static object? Describe(Session session, string field) => field switch
    {
        "title" => session.Title,
        "time" => session.StartsAt,
        "link" => session.JoinUrl,
        "aliases" => session.Aliases,
        "opens" => session.OpensAt,
        _ => null,
    };
}

/// <summary><c>/cancelsession KEY</c>: asks first, with the numbers of people who will be told.</summary>
public sealed class CancelSessionCommand(SessionRepository sessions) : IChatCommand
{
    public string Name => "cancelsession";

    public Role Requires => Role.Organizer;

    public async Task<Response> HandleAsync(ChatContext context, string? arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var texts = context.Texts;
        if (arguments?.Trim() is not { Length: > 0 } key)
        {
            return context.Reply(texts.CancelSessionUsage());
        }

        return await sessions.FindCountsByKeyAsync(key, cancellationToken) switch
        {
            null => context.Reply(texts.UnknownSessionKey(key)),
            { Session.IsCancelled: true } found => context.Reply(texts.SessionAlreadyCancelled(found.Session)),
            var found => context.Reply(texts.ConfirmCancelSession(found)),
        };
    }
}

/// <summary>"cs:42" confirms the cancellation (registrants told, reminders withdrawn); "cs:no" keeps the session.</summary>
public sealed class CancelSessionButton(SessionRepository sessions, SessionLifecycle lifecycle, AuditLog audit) : IButtonHandler
{
    public string Prefix => CallbackData.Prefixes.CancelSession;

    public Role Requires => Role.Organizer;

    public async Task<Response?> HandleAsync(ChatContext context, string payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (CallbackData.Sessions.IsKeep(payload))
        {
            return new Response([], context.Texts.SessionKept());
        }

        if (!CallbackData.Sessions.TryParseCancel(payload, out var sessionId) || await sessions.FindAsync(sessionId, cancellationToken) is not { } session)
        {
            return null;
        }

        if (!await lifecycle.CancelAsync(sessionId, cancellationToken))
        {
            return context.Reply(context.Texts.SessionAlreadyCancelled(session));
        }

        await audit.WriteAsync(context.MemberId, "session.cancel", new { session_id = session.Id, key = session.Key, title = session.Title }, cancellationToken);
        return context.Reply(context.Texts.SessionCancelledByOrganizer(session));
    }
}

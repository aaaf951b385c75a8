using System.Globalization;
using System.Text;
using System.Text.Json;
using Baoming.Audit;
using Baoming.Chat;
using Baoming.Community;
using Baoming.Core;
using Baoming.Core.Export;
using Baoming.Core.Organizers;
using Baoming.Core.Replies;
using Baoming.Delivery;
using Baoming.Jobs;
using Baoming.Messaging;
using Baoming.Roles;
using Baoming.Sessions;
using Hangfire;

namespace Baoming.Broadcasts;

public static class BroadcastExtensions
{
    /// <summary><c>/broadcast</c>, <c>/broadcasts</c>, their buttons and dialogues, and the broadcast topic (organizers).</summary>
    public static IServiceCollection AddBroadcasts(this IServiceCollection services)
    {
        services.AddSingleton<BroadcastRepository>();
        services.AddSingleton<ITopic, BroadcastTopic>();
        services.AddSingleton<FollowUps.IFollowUpHandler, BroadcastFollowUps>();
        services.AddSingleton<Export.IExportColumnSource, BroadcastExportColumns>();
        services.AddSingleton<IChatCommand, BroadcastCommand>();
        services.AddSingleton<IChatCommand, BroadcastsCommand>();
        services.AddSingleton<IButtonHandler, AudienceButton>();
        services.AddSingleton<IButtonHandler, SendButton>();
        services.AddSingleton<IButtonHandler, StopButton>();
        services.AddSingleton<IButtonHandler, NotReachedButton>();
        services.AddSingleton<IDialogueHandler, BroadcastTextDialogue>();
        services.AddSingleton<IDialogueHandler, BroadcastTimeDialogue>();
        return services;
    }
}

/// <summary>The broadcast dialogues' kinds and their stored state.</summary>
internal static class BroadcastDialogues
{
    public const string Text = "broadcast-text";
    public const string Time = "broadcast-time";

    public sealed record TextState(string Audience, long? SessionId);

    public sealed record TimeState(long BroadcastId);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static T? Read<T>(JsonElement state) => state.Deserialize<T>(Json);

    public static object Write<T>(T state) => JsonSerializer.SerializeToElement(state, Json);
}

/// <summary><c>/broadcast</c>: the audiences, with the sizes of the two that need no session.</summary>
public sealed class BroadcastCommand(BroadcastRepository broadcasts, TimeProvider time) : IChatCommand
{
    public string Name => "broadcast";

    public Role Requires => Role.Organizer;

    public async Task<Response> HandleAsync(ChatContext context, string? arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var now = time.GetUtcNow();
        var upcoming = await broadcasts.CountAudienceAsync(Audience.Upcoming, null, now, cancellationToken);
        var everyone = await broadcasts.CountAudienceAsync(Audience.Everyone, null, now, cancellationToken);
        return context.Reply(context.Texts.BroadcastChooseAudience(upcoming, everyone));
    }
}

/// <summary><c>/broadcasts</c>: recent and scheduled broadcasts with their counts; scheduled and running ones can be cancelled.</summary>
public sealed class BroadcastsCommand(BroadcastRepository broadcasts) : IChatCommand
{
    public string Name => "broadcasts";

    public Role Requires => Role.Organizer;

    public async Task<Response> HandleAsync(ChatContext context, string? arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Reply(context.Texts.BroadcastList(await broadcasts.ListRecentAsync(10, cancellationToken)));
    }
}

/// <summary>
/// "ba:u", "ba:e", "ba:c:42", "ba:w:42" (and "ba:c"/"ba:w", which ask for the session): an audience
/// was chosen; unless it is empty, the organizer's next message is the broadcast's text.
/// </summary>
public sealed class AudienceButton(BroadcastRepository broadcasts, SessionRepository sessions, DialogueStore dialogues, TimeProvider time) : IButtonHandler
{
    private const int MaxSessions = 10;

    public string Prefix => OrganizerButtons.AudiencePrefix;

    public Role Requires => Role.Organizer;

    public async Task<Response?> HandleAsync(ChatContext context, string payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!OrganizerButtons.TryParseAudience(payload, out var audience, out var sessionId))
        {
            return null;
        }

        var now = time.GetUtcNow();
        string? title = null;
        if (audience is Audience.Confirmed or Audience.Waitlisted)
        {
            if (sessionId is null)
            {
                var choices = (await sessions.ListWithSourceAsync(cancellationToken))
                    .Where(s => s.Session.IsOpenAt(now)).OrderBy(s => s.Session.StartsAt).Take(MaxSessions).ToList();
                return context.Reply(context.Texts.BroadcastChooseSession(audience, choices));
            }

            if (await sessions.FindAsync(sessionId.Value, cancellationToken) is not { } session)
            {
                return null;
            }

            title = session.Title;
        }

        var name = context.Texts.AudienceName(audience, title);
        var count = await broadcasts.CountAudienceAsync(audience, sessionId, now, cancellationToken);
        if (count == 0)
        {
            return context.Reply(context.Texts.BroadcastEmptyAudience(name));
        }

        await dialogues.OpenAsync(context.MemberId, BroadcastDialogues.Text,
            BroadcastDialogues.Write(new BroadcastDialogues.TextState(OrganizerButtons.Name(audience), sessionId)), cancellationToken);
        return context.Reply(context.Texts.BroadcastAskText(name, count));
    }
}

/// <summary>
/// The broadcast's text, as the organizer's next message: checked (empty, over 4096 characters,
/// broken HTML) before anything is stored, then shown back exactly as recipients will see it.
/// </summary>
public sealed class BroadcastTextDialogue(
    BroadcastRepository broadcasts,
    SessionRepository sessions,
    DialogueStore dialogues,
    AuditLog audit,
    TimeProvider time) : IDialogueHandler
{
    public string Kind => BroadcastDialogues.Text;

    public Role Requires => Role.Organizer;

    public async Task<Response> HandleAsync(ChatContext context, string text, JsonElement state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var texts = context.Texts;
        var input = BroadcastDialogues.Read<BroadcastDialogues.TextState>(state);
        if (input is null)
        {
            await dialogues.CloseAsync(context.MemberId, cancellationToken);
            return context.Reply(texts.DialogueAbandoned());
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return context.Reply(texts.BroadcastEmptyText());
        }

        var check = TelegramHtml.Check(text, texts.Language);
        if (!check.IsValid)
        {
            return context.Reply(texts.BroadcastBadHtml(check.Problem!));
        }

        if (check.VisibleLength > TelegramHtml.MaxLength)
        {
            return context.Reply(texts.BroadcastTooLong(check.VisibleLength));
        }

        if (check.VisibleLength == 0 || TelegramHtml.ToPlain(text).Trim().Length == 0)
        {
            return context.Reply(texts.BroadcastEmptyText());
        }

        var audience = OrganizerButtons.FromName(input.Audience);
        var title = input.SessionId is { } sessionId ? (await sessions.FindAsync(sessionId, cancellationToken))?.Title : null;
        var name = texts.AudienceName(audience, title);
        var count = await broadcasts.CountAudienceAsync(audience, input.SessionId, time.GetUtcNow(), cancellationToken);
        await dialogues.CloseAsync(context.MemberId, cancellationToken);
        if (count == 0)
        {
            return context.Reply(texts.BroadcastEmptyAudience(name));
        }

        var id = await broadcasts.CreateAsync(context.MemberId, audience, input.SessionId, text, cancellationToken);
        await audit.WriteAsync(context.MemberId, "broadcast.create", new { broadcast_id = id, audience = input.Audience, session_id = input.SessionId, recipients = count, length = check.VisibleLength }, cancellationToken);
        return new Response(
        [
            new Outgoing(context.ChatId, new Reply(text, []) { IsHtml = true }),
            new Outgoing(context.ChatId, texts.BroadcastConfirm(id, name, count)),
        ]);
    }
}

/// <summary>"bs:7:now" sends, "bs:7:at" asks for a time, "bs:7:x" drops the draft. Only a draft can be sent, so a second press does nothing.</summary>
public sealed class SendButton(
    BroadcastRepository broadcasts,
    DialogueStore dialogues,
    AuditLog audit,
    TimeProvider time,
    IServiceProvider services) : IButtonHandler
{
    public string Prefix => OrganizerButtons.SendPrefix;

    public Role Requires => Role.Organizer;

    public async Task<Response?> HandleAsync(ChatContext context, string payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!OrganizerButtons.TryParseSend(payload, out var id, out var how) || await broadcasts.FindAsync(id, cancellationToken) is not { } broadcast)
        {
            return null;
        }

        var texts = context.Texts;
        if (broadcast.State != "draft")
        {
            return new Response([], texts.BroadcastNoLongerDraft());
        }

        switch (how)
        {
            case OrganizerButtons.Discard:
                if (!(await broadcasts.CancelAsync(id, cancellationToken)).IsCancelled)
                {
                    return new Response([], texts.BroadcastNoLongerDraft());
                }

                await audit.WriteAsync(context.MemberId, "broadcast.discard", new { broadcast_id = id }, cancellationToken);
                return context.Reply(texts.BroadcastDiscarded());

            case OrganizerButtons.SendLater:
                await dialogues.OpenAsync(context.MemberId, BroadcastDialogues.Time, BroadcastDialogues.Write(new BroadcastDialogues.TimeState(id)), cancellationToken);
                return context.Reply(texts.BroadcastAskTime());

            default:
                if (!await broadcasts.TransitionAsync(id, ["draft"], "sending", null, cancellationToken))
                {
                    return new Response([], texts.BroadcastNoLongerDraft());
                }

                var count = await broadcasts.CountAudienceAsync(broadcast.Kind, broadcast.SessionId, time.GetUtcNow(), cancellationToken);
                await audit.WriteAsync(context.MemberId, "broadcast.send", new { broadcast_id = id, recipients = count }, cancellationToken);
                await BroadcastStart.StatusAndJobAsync(services, broadcasts, id, context.ChatId, texts.BroadcastSending(id, count), cancellationToken);
                return new Response([]);
        }
    }
}

/// <summary>The time of a scheduled broadcast, as the organizer's next message (Beijing time; the past is refused).</summary>
public sealed class BroadcastTimeDialogue(
    BroadcastRepository broadcasts,
    DialogueStore dialogues,
    AuditLog audit,
    IOptions<CommunityOptions> community,
    TimeProvider time,
    IServiceProvider services) : IDialogueHandler
{
    public string Kind => BroadcastDialogues.Time;

    public Role Requires => Role.Organizer;

    public async Task<Response> HandleAsync(ChatContext context, string text, JsonElement state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var texts = context.Texts;
        if (BroadcastDialogues.Read<BroadcastDialogues.TimeState>(state) is not { } input
            || await broadcasts.FindAsync(input.BroadcastId, cancellationToken) is not { State: "draft" } broadcast)
        {
            await dialogues.CloseAsync(context.MemberId, cancellationToken);
            return context.Reply(Reply.Plain(texts.BroadcastNoLongerDraft()));
        }

        var now = time.GetUtcNow();
        var when = OrganizerInput.ParseTime(text, community.Value.Zone, now);
        if (!when.IsOk)
        {
            return context.Reply(texts.BroadcastBadTime(texts.InputProblem(when.Error!.Value, when.Detail)));
        }

        await dialogues.CloseAsync(context.MemberId, cancellationToken);
        if (!await broadcasts.TransitionAsync(broadcast.Id, ["draft"], "scheduled", when.Value, cancellationToken))
        {
            return context.Reply(Reply.Plain(texts.BroadcastNoLongerDraft()));
        }

        var count = await broadcasts.CountAudienceAsync(broadcast.Kind, broadcast.SessionId, now, cancellationToken);
        await audit.WriteAsync(context.MemberId, "broadcast.schedule", new { broadcast_id = broadcast.Id, scheduled_at = when.Value, recipients = count }, cancellationToken);
        await BroadcastStart.StatusAndJobAsync(services, broadcasts, broadcast.Id, context.ChatId, texts.BroadcastScheduled(broadcast.Id, when.Value, count), cancellationToken);
        return Response.None;
    }
}

internal static class BroadcastStart
{
    /// <summary>
    /// Sends the status message (its id is kept, so the fan-out edits it in place), then carries out
    /// the release's follow-up, recorded with the release itself: the one Hangfire job, planted at
    /// once or for <paramref name="at"/>'s time (see <see cref="BroadcastFollowUps"/>). If this stops
    /// half-way, the follow-up runner plants the job anyway: a broadcast never stays released without one.
    /// </summary>
    public static async Task StatusAndJobAsync(
        IServiceProvider services, BroadcastRepository broadcasts, long id, long chatId, Reply status, CancellationToken cancellationToken)
    {
        var sent = await services.GetRequiredService<IMessenger>().SendAsync(new Outgoing(chatId, status), cancellationToken);
        await broadcasts.SetStatusMessageAsync(id, chatId, sent.MessageId, cancellationToken);
        await services.GetRequiredService<FollowUps.FollowUps>().RunNowAsync(cancellationToken);
    }
}

/// <summary>"bc:7": cancels a scheduled broadcast, or stops a running one before its next batch.</summary>
public sealed class StopButton(BroadcastRepository broadcasts, AuditLog audit, IBackgroundJobClient jobs) : IButtonHandler
{
    public string Prefix => OrganizerButtons.StopPrefix;

    public Role Requires => Role.Organizer;

    public async Task<Response?> HandleAsync(ChatContext context, string payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!OrganizerButtons.TryParseId(payload, out var id) || await broadcasts.FindAsync(id, cancellationToken) is not { } broadcast)
        {
            return null;
        }

        var (isCancelled, jobId) = await broadcasts.CancelAsync(id, cancellationToken);
        if (!isCancelled)
        {
            return context.Reply(context.Texts.BroadcastNotStoppable(id));
        }

        // A scheduled job is deleted; a running one sees the state and stops itself (its run finishes the status message).
        if (broadcast.State == "scheduled" && jobId is not null)
        {
            jobs.Delete(jobId);
        }

        await audit.WriteAsync(context.MemberId, "broadcast.cancel", new { broadcast_id = id, was = broadcast.State }, cancellationToken);
        return context.Reply(context.Texts.BroadcastStopped(id));
    }
}

/// <summary>
/// "bn:7": the people a broadcast did not reach, as a CSV the organizer can work through by other means.
/// It names people (ids, usernames, names), so only the broadcast's author and admins get it, whoever holds the button's data.
/// </summary>
public sealed class NotReachedButton(BroadcastRepository broadcasts, AuditLog audit, IServiceProvider services) : IButtonHandler
{
    private static readonly string[] Columns = ["telegram_user_id", "username", "display_name", "state"];

    public string Prefix => OrganizerButtons.NotReachedPrefix;

    public Role Requires => Role.Organizer;

    public async Task<Response?> HandleAsync(ChatContext context, string payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!OrganizerButtons.TryParseId(payload, out var id) || await broadcasts.FindAsync(id, cancellationToken) is not { } broadcast)
        {
            return null;
        }

        if (broadcast.AuthorId != context.MemberId && context.Role < Role.Admin)
        {
            return context.Reply(context.Texts.NotReachedNotYours(id));
        }

        var rows = await broadcasts.NotReachedAsync(id, cancellationToken);
        if (rows.Count == 0)
        {
            return context.Reply(context.Texts.EveryoneReached(id));
        }

        using var content = new MemoryStream();
        content.Write(CsvFormat.ByteOrderMark);
        await using (var writer = new StreamWriter(content, new UTF8Encoding(false), leaveOpen: true))
        {
            CsvFormat.WriteHeader(writer, Columns);
            foreach (var row in rows)
            {
                CsvFormat.WriteRecord(writer,
                [
                    ExportCell.FromNumber(row.MemberId),
                    ExportCell.FromText(row.Username ?? ""),
                    ExportCell.FromText(row.DisplayName),
                    ExportCell.FromText(row.State),
                ]);
            }
        }

        await audit.WriteAsync(context.MemberId, "broadcast.not_reached", new { broadcast_id = id, rows = rows.Count }, cancellationToken);
        content.Position = 0;
        var fileName = string.Create(CultureInfo.InvariantCulture, $"broadcast-{id}-not-reached.csv");
        await services.GetRequiredService<IMessenger>().SendDocumentAsync(context.ChatId, fileName, content, context.Texts.NotReachedCaption(id, rows.Count), cancellationToken);
        return new Response([]);
    }
}

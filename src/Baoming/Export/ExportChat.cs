using Baoming.Audit;
using Baoming.Chat;
using Baoming.Community;
using Baoming.Core;
using Baoming.Core.Export;
using Baoming.Core.Understanding;
using Baoming.Roles;
using Baoming.Sessions;

namespace Baoming.Export;

/// <summary>Limits of exports sent in chat.</summary>
public sealed class ExportLimits
{
    /// <summary>Telegram's limit for a document a bot uploads: 50 MB.</summary>
    public long MaxDocumentBytes { get; set; } = 50L * 1024 * 1024;

    /// <summary>Sessions offered as buttons by <c>/export</c>: the latest ones; older ones by key.</summary>
    public int MaxSessionButtons { get; set; } = 20;
}

/// <summary><c>/export</c> (admins): the sessions as buttons; <c>/export KEY</c> goes straight to the format choice.</summary>
public sealed class ExportChatCommand(SessionRepository sessions, ExportLimits limits) : IChatCommand
{
    public string Name => "export";

    public Role Requires => Role.Admin;

    public async Task<Response> HandleAsync(ChatContext context, string? arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var all = await sessions.ListAsync(cancellationToken);
        var choices = all.Take(limits.MaxSessionButtons).Select(s => new ExportChoice(s.Session, s.Confirmed, s.Waitlisted)).ToList();
        var more = all.Count - choices.Count;
        if (arguments?.Trim() is not { Length: > 0 } key)
        {
            return context.Reply(context.Texts.ExportChooseSession(choices, more));
        }

        var found = all.FirstOrDefault(s => s.Session.Key == key).Session;
        return found is null
            ? context.Reply(context.Texts.ExportUnknownSession(key, choices, more))
            : context.Reply(context.Texts.ExportChooseFormat(found));
    }
}

/// <summary>"ex:42": a session was chosen; offer the formats.</summary>
public sealed class ExportSessionButton(SessionRepository sessions) : IButtonHandler
{
    public string Prefix => CallbackData.Prefixes.ExportSession;

    public Role Requires => Role.Admin;

    public async Task<Response?> HandleAsync(ChatContext context, string payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!CallbackData.Export.TryParseSession(payload, out var sessionId)
            || await sessions.FindAsync(sessionId, cancellationToken) is not { } session)
        {
            return null;
        }

        return context.Reply(context.Texts.ExportChooseFormat(session));
    }
}

/// <summary>
/// "ef:42:csv": write the list to a temporary file (streamed, so a large session costs disk, not
/// memory), audit it, then hand it to the channel as a document, or say it is over Telegram's limit.
/// </summary>
public sealed class ExportFormatButton(
    SessionRepository sessions,
    Exporter exporter,
    AuditLog audit,
    ExportLimits limits,
    IEnumerable<ISessionFacts> facts,
    IOptions<CommunityOptions> community) : IButtonHandler
{
    public string Prefix => CallbackData.Prefixes.ExportFormat;

    public Role Requires => Role.Admin;

    public async Task<Response?> HandleAsync(ChatContext context, string payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!CallbackData.Export.TryParseFormat(payload, out var sessionId, out var format)
            || await sessions.FindAsync(sessionId, cancellationToken) is not { } session)
        {
            return null;
        }

        var fileName = ExportFiles.FileName(session, community.Value.Zone, format);
        var file = new FileStream(
            Path.Combine(Path.GetTempPath(), $"baoming-export-{Guid.NewGuid():N}.{ExportFiles.Extension(format)}"),
            FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, bufferSize: 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            var summary = await exporter.WriteAsync(file, format, [session.Id], progress: null, cancellationToken);
            await file.FlushAsync(cancellationToken);
            var isTooLarge = file.Length > limits.MaxDocumentBytes;

            // Audited here, before the channel sends the file after this returns: the conversation retries
            // the whole press on a database outage, and only a handler that has finished is delivered, so
            // the file goes out once.
            await audit.WriteAsync(context.MemberId, "export", new
            {
                session_id = session.Id,
                session_key = session.Key,
                format = ExportFiles.Extension(format),
                rows = summary.Total,
                bytes = file.Length,
                via = "chat",
                sent = !isTooLarge,
            }, cancellationToken);

            if (isTooLarge)
            {
                var length = file.Length;
                await file.DisposeAsync();
                return context.Reply(context.Texts.ExportTooLarge(session, length, limits.MaxDocumentBytes));
            }

            file.Position = 0;
            // The show rate, answers, follow-ups and feedback, as /sessions has them, under the counts.
            var lines = (await facts.DescribeAllAsync([session.Id], context.Texts, cancellationToken)).GetValueOrDefault(session.Id) ?? [];

            // The channel sends the file and closes it, which deletes it.
            return new Response([], context.Texts.ExportSent())
            {
                Documents = [new OutgoingDocument(context.ChatId, fileName, file, context.Texts.ExportCaption(session, summary, lines)) { IfNotSent = context.Texts.ExportNotSent() }],
            };
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }
}

using System.Text.Json;
using Baoming.Chat;
using Baoming.Core;
using Baoming.Core.Attendance;
using Baoming.Messaging;
using Baoming.Sessions;

namespace Baoming.Attendance;

/// <summary><c>/attendance KEY</c> (organizers): asks for the meeting platform's attendee list as a document.</summary>
public sealed class AttendanceCommand(SessionRepository sessions, DialogueStore dialogues) : IChatCommand
{
    public string Name => "attendance";

    public Role Requires => Role.Organizer;

    public async Task<Response> HandleAsync(ChatContext context, string? arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var key = arguments?.Trim();
        if (string.IsNullOrEmpty(key) || key.Contains(' ', StringComparison.Ordinal))
        {
            return context.Reply(context.Texts.AttendanceUsage());
        }

        if (await sessions.FindByKeyAsync(key, cancellationToken) is not { Session: var session })
        {
            return context.Reply(context.Texts.UnknownSessionKey(key));
        }

        await dialogues.OpenAsync(context.MemberId, AttendanceFileDialogue.DialogueKind, new AttendanceFileDialogue.State(session.Id), cancellationToken);
        return context.Reply(context.Texts.AttendanceAskFile(session));
    }
}

/// <summary>
/// The document after <c>/attendance KEY</c>: downloaded (at most <see cref="AttendanceList.MaxBytes"/>), imported and
/// reported. A text ends the dialogue when it says cancel, else asks for the file again; a file that is too big or
/// unreadable keeps the dialogue open for another.
/// </summary>
public sealed class AttendanceFileDialogue(AttendanceImport import, SessionRepository sessions, DialogueStore dialogues, IMessenger messenger) : IDialogueHandler
{
    public const string DialogueKind = "attendance.import";

    public string Kind => DialogueKind;

    public Role Requires => Role.Organizer;

    public sealed record State(long SessionId);

    public async Task<Response> HandleAsync(ChatContext context, string text, JsonElement state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (text.Trim() is "取消" or "cancel" or "Cancel" or "/cancel")
        {
            await dialogues.CloseAsync(context.MemberId, cancellationToken);
            return context.Reply(context.Texts.DialogueAbandoned());
        }

        return context.Reply(context.Texts.AttendanceNeedsFile());
    }

    public async Task<Response?> HandleOtherAsync(ChatContext context, JsonElement state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var texts = context.Texts;
        if (context.Incoming is not Incoming.Document document)
        {
            return context.Reply(texts.AttendanceNeedsFile());
        }

        if (Read(state) is not { } sessionId || await sessions.FindAsync(sessionId, cancellationToken) is not { } session)
        {
            await dialogues.CloseAsync(context.MemberId, cancellationToken);
            return context.Reply(texts.DialogueAbandoned());
        }

        if (document.Size > AttendanceList.MaxBytes)
        {
            return context.Reply(texts.AttendanceFileTooBig());
        }

        var download = await messenger.DownloadAsync(document.FileId, AttendanceList.MaxBytes, cancellationToken);
        switch (download.Status)
        {
            case DownloadStatus.TooBig:
                return context.Reply(texts.AttendanceFileTooBig());
            case DownloadStatus.NotSupported:
                await dialogues.CloseAsync(context.MemberId, cancellationToken);
                return context.Reply(texts.AttendanceNoFiles());
            case DownloadStatus.Failed:
                return context.Reply(texts.SomethingWentWrong());
        }

        var (result, problem) = await import.ImportAsync(context.MemberId, session, download.Content!, "chat", cancellationToken);
        if (result is null)
        {
            return context.Reply(problem == ImportProblem.TooBig ? texts.AttendanceFileTooBig() : texts.AttendanceFileUnreadable());
        }

        await dialogues.CloseAsync(context.MemberId, cancellationToken);
        return context.Reply(texts.AttendanceImported(session, result));
    }

    private static long? Read(JsonElement state) =>
        state.ValueKind == JsonValueKind.Object && state.TryGetProperty(nameof(State.SessionId), out var id) && id.TryGetInt64(out var value) && value > 0
            ? value
            : null;
}

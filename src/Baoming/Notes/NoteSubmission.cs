using Baoming.Chat;
using Baoming.Core;
using Baoming.Core.Replies;
using Baoming.Core.Understanding;

namespace Baoming.Notes;

/// <summary>
/// Takes a reader's note, from a "留言 …" message or the dialogue after a bare "留言": refused when over
/// <see cref="Texts.NoteMaxLength"/>, else stored with its delivery to the organizers, which goes out now.
/// </summary>
public sealed class NoteSubmission(NoteRepository notes, FollowUps.FollowUps followUps, TimeProvider time)
{
    /// <summary>The dialogue after a bare "留言": the reader's next text is the note.</summary>
    public const string DialogueKind = "note.text";

    public async Task<Response> SubmitAsync(ChatContext context, string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var note = text.Trim();
        if (note.Length > Texts.NoteMaxLength)
        {
            return context.Reply(context.Texts.NoteTooLong(note.Length));
        }

        await notes.CreateAsync(context.MemberId, note, time.GetUtcNow(), cancellationToken);
        // The delivery is planted with the note; this only starts it now rather than at the runner's next round.
        await followUps.RunNowAsync(cancellationToken);
        return context.Reply(context.Texts.NoteThanks());
    }
}

/// <summary>"留言 …" / "建议 …" from anyone: the note goes to the organizers; "留言" alone asks for it.</summary>
public sealed class NoteIntentHandler(NoteSubmission submission, DialogueStore dialogues) : IIntentHandler
{
    public Role Requires => Role.Reader;

    public bool Claims(Intent intent) => intent is Intent.Note;

    public async Task<Response> HandleAsync(ChatContext context, Intent intent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (intent is Intent.Note { Text: { } text })
        {
            return await submission.SubmitAsync(context, text, cancellationToken);
        }

        await dialogues.OpenAsync(context.MemberId, NoteSubmission.DialogueKind, new { }, cancellationToken);
        return context.Reply(context.Texts.NoteAskText());
    }
}

/// <summary>The text after a bare "留言": the note itself. Too long: refused, and the dialogue stays open for a shorter one.</summary>
public sealed class NoteTextDialogue(NoteSubmission submission, DialogueStore dialogues) : IDialogueHandler
{
    public string Kind => NoteSubmission.DialogueKind;

    public Role Requires => Role.Reader;

    public async Task<Response> HandleAsync(ChatContext context, string text, System.Text.Json.JsonElement state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (string.IsNullOrWhiteSpace(text))
        {
            return context.Reply(context.Texts.NoteAskText());
        }

        if (text.Trim().Length <= Texts.NoteMaxLength)
        {
            await dialogues.CloseAsync(context.MemberId, cancellationToken);
        }

        return await submission.SubmitAsync(context, text, cancellationToken);
    }
}

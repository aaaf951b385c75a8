using System.Globalization;
using System.Text.Json;
using Baoming.Chat;
using Baoming.Core;
using Baoming.Core.Replies;
using Baoming.Core.Understanding;

namespace Baoming.Notes;

/// <summary>
/// 回复 on a note (organizers; the engine checks the role on every press): opens the answer dialogue, or
/// says who answered it already. Forged or stale data (no such note): null, the engine's expired-button answer.
/// </summary>
public sealed class AnswerButton(NoteRepository notes, DialogueStore dialogues) : IButtonHandler
{
    public string Prefix => CallbackData.Prefixes.NoteAnswer;

    public Role Requires => Role.Organizer;

    public async Task<Response?> HandleAsync(ChatContext context, string payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!CallbackData.Notes.TryParseAnswer(payload, out var noteId) || await notes.FindAsync(noteId, cancellationToken) is not { } note)
        {
            return null;
        }

        if (note.IsAnswered)
        {
            return context.Reply(NoteAnswers.AlreadyAnswered(context.Texts, note));
        }

        await dialogues.OpenAsync(context.MemberId, NoteAnswers.DialogueKind, new NoteAnswers.State(noteId), cancellationToken);
        return context.Reply(context.Texts.NoteAskAnswer(note.Card));
    }
}

/// <summary>
/// The organizer's text after 回复: the answer. The first organizer to answer wins (one conditional update);
/// the answer, its audit entry and its delivery to the reader are written together, and it goes out once.
/// </summary>
public sealed class NoteAnswerDialogue(NoteRepository notes, DialogueStore dialogues, FollowUps.FollowUps followUps, TimeProvider time) : IDialogueHandler
{
    public string Kind => NoteAnswers.DialogueKind;

    public Role Requires => Role.Organizer;

    public async Task<Response> HandleAsync(ChatContext context, string text, JsonElement state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var texts = context.Texts;
        var answer = text.Trim();
        if (answer.Length == 0)
        {
            return context.Reply(texts.DialogueAbandoned());
        }

        if (answer.Length > Texts.NoteMaxLength)
        {
            // The dialogue stays open: a shorter answer may follow.
            return context.Reply(texts.NoteTooLong(answer.Length));
        }

        await dialogues.CloseAsync(context.MemberId, cancellationToken);
        if (NoteAnswers.Read(state) is not { } noteId || await notes.FindAsync(noteId, cancellationToken) is not { } note)
        {
            return context.Reply(texts.DialogueAbandoned());
        }

        if (!await notes.AnswerAsync(noteId, context.MemberId, answer, time.GetUtcNow(), cancellationToken))
        {
            // Another organizer answered while this one was typing.
            var now = await notes.FindAsync(noteId, cancellationToken) ?? note;
            return context.Reply(NoteAnswers.AlreadyAnswered(texts, now));
        }

        await followUps.RunNowAsync(cancellationToken);
        return context.Reply(texts.NoteAnswerSent(note.Card));
    }
}

/// <summary>The answer dialogue's kind and state, shared by the button that opens it and the dialogue.</summary>
internal static class NoteAnswers
{
    public const string DialogueKind = "note.answer";

    public sealed record State(long NoteId);

    public static long? Read(JsonElement state) =>
        state.ValueKind == JsonValueKind.Object && state.TryGetProperty(nameof(State.NoteId), out var id) && id.TryGetInt64(out var value) && value > 0
            ? value
            : null;

    public static Reply AlreadyAnswered(Texts texts, StoredNote note) =>
        texts.NoteAlreadyAnswered(
            note.AnsweredByName is { Length: > 0 } name ? name : note.AnsweredBy?.ToString(CultureInfo.InvariantCulture) ?? "?",
            note.AnsweredAt ?? note.Card.CreatedAt);
}

using System.Globalization;
using System.Text;
using Baoming.Core.Understanding;

namespace Baoming.Core.Replies;

// Notes: a reader's 留言 / 建议 to the organizers, the organizers' 回复, and /inbox. All plain text, so
// whatever a reader writes ("<b>", "&") reaches the organizers exactly as typed and never breaks a message.
public sealed partial class Texts
{
    /// <summary>The longest note or answer, in characters: a note is a word, not a letter, and fits one message with its header.</summary>
    public const int NoteMaxLength = 2000;

    /// <summary>How many unanswered notes /inbox lists at once (newest first).</summary>
    public const int InboxPageSize = 20;

    /// <summary>How much of each note /inbox shows: twenty whole notes would not fit one message.</summary>
    private const int InboxNoteClip = 80;

    public Reply NoteThanks() => Reply.Plain(Pick(
        "已转达给组织者，回复会在这里告诉你。",
        "Passed on to the organizers; their answer will come here."));

    public Reply NoteAskText() => Reply.Plain(Pick(
        $"想对组织者说什么？请直接发送内容（最多 {NoteMaxLength} 字）。发送 /cancel 放弃。",
        $"What would you like to tell the organizers? Just send it (at most {NoteMaxLength} characters). Send /cancel to give up."));

    public Reply NoteTooLong(int length) => Reply.Plain(Pick(
        $"留言太长了（{length} 字），最多 {NoteMaxLength} 字。请精简后再发一次。",
        $"That is too long ({length} characters); a note may have at most {NoteMaxLength}. Please shorten it and send it again."));

    /// <summary>What every organizer and admin gets: who wrote, when, the note, and the 回复 button.</summary>
    public Reply NoteForOrganizers(NoteCard note)
    {
        ArgumentNullException.ThrowIfNull(note);
        var text = Pick(
            $"📮 {Author(note)} 给组织者留言（{TimeFormat.Format(note.CreatedAt, zone, language)}）：\n\n{note.Text}",
            $"📮 A note to the organizers from {Author(note)} ({TimeFormat.Format(note.CreatedAt, zone, language)}):\n\n{note.Text}");
        return Reply.WithButtons(text, [AnswerButton(note.Id)]);
    }

    public Reply NoteAskAnswer(NoteCard note)
    {
        ArgumentNullException.ThrowIfNull(note);
        return Reply.Plain(Pick(
            $"请发送给 {Author(note)} 的回复（最多 {NoteMaxLength} 字），对方会收到「组织者回复了你的留言：…」。发送 /cancel 放弃。\n\n留言：{ClipTo(note.Text, InboxNoteClip)}",
            $"Send your answer to {Author(note)} (at most {NoteMaxLength} characters); they get it as \"The organizers answered your note: …\". Send /cancel to give up.\n\nThe note: {ClipTo(note.Text, InboxNoteClip)}"));
    }

    /// <summary>The note was answered already, by <paramref name="answeredBy"/> (a name, or the member id) at <paramref name="answeredAt"/>.</summary>
    public Reply NoteAlreadyAnswered(string answeredBy, DateTimeOffset answeredAt) => Reply.Plain(Pick(
        $"这条留言已由 {answeredBy} 于 {TimeFormat.Format(answeredAt, zone, language)} 回复过了。",
        $"{answeredBy} already answered this note ({TimeFormat.Format(answeredAt, zone, language)})."));

    public Reply NoteAnswerSent(NoteCard note)
    {
        ArgumentNullException.ThrowIfNull(note);
        return Reply.Plain(Pick($"✅ 已把回复发给 {Author(note)}。", $"✅ Your answer goes to {Author(note)}."));
    }

    /// <summary>What the reader gets: the organizers' answer, and which of their notes it answers.</summary>
    public Reply NoteAnswer(string note, string answer) => Reply.Plain(Pick(
        $"组织者回复了你的留言：{answer}\n\n（你的留言：{ClipTo(note, InboxNoteClip)}）",
        $"The organizers answered your note: {answer}\n\n(Your note: {ClipTo(note, InboxNoteClip)})"));

    /// <summary>
    /// /inbox: the unanswered notes (at most <see cref="InboxPageSize"/>, newest first), each clipped, each
    /// with its 回复 button, and how many older ones wait beyond them.
    /// </summary>
    public Reply Inbox(IReadOnlyList<NoteCard> notes, int more)
    {
        ArgumentNullException.ThrowIfNull(notes);
        if (notes.Count == 0)
        {
            return Reply.Plain(Pick("没有未回复的留言。", "No unanswered notes."));
        }

        var text = new StringBuilder(Pick(
            $"未回复的留言（{notes.Count + more} 条，最新的在前）：",
            $"Unanswered notes ({notes.Count + more}, newest first):"));
        foreach (var note in notes)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n\n#{note.Id} {Author(note)} · {TimeFormat.Format(note.CreatedAt, zone, language)}\n")
                .Append(ClipTo(note.Text, InboxNoteClip));
        }

        if (more > 0)
        {
            text.Append("\n\n").Append(Pick(
                $"还有 {more} 条更早的未回复留言，回复以上几条后再发 /inbox 查看。",
                $"{more} older unanswered notes are not shown; answer some of these and send /inbox again."));
        }

        return Reply.WithButtons(text.ToString(), notes.Select(n => AnswerButton(n.Id, numbered: true)));
    }

    private Button AnswerButton(long noteId, bool numbered = false) =>
        new(numbered ? Pick($"回复 #{noteId}", $"Answer #{noteId}") : Pick("回复", "Answer"), CallbackData.Notes.Answer(noteId));

    /// <summary>"张三 @zhangsan", or the name alone, or the @username alone, or the member id when Telegram gave neither.</summary>
    private static string Author(NoteCard note)
    {
        var name = note.AuthorName is { Length: > 0 } n ? ClipTo(n, 40) : null;
        var username = note.AuthorUsername is { Length: > 0 } u ? "@" + u : null;
        return (name, username) switch
        {
            ({ } both, { } at) => $"{both} {at}",
            ({ } only, null) => only,
            (null, { } at) => at,
            _ => note.AuthorId.ToString(CultureInfo.InvariantCulture),
        };
    }
}

using Baoming.Chat;
using Baoming.Core;
using Baoming.Core.Replies;

namespace Baoming.Notes;

/// <summary><c>/inbox</c> (organizers): the unanswered notes, newest first, each with its 回复 button.</summary>
public sealed class InboxCommand(NoteRepository notes) : IChatCommand
{
    public string Name => "inbox";

    public Role Requires => Role.Organizer;

    public async Task<Response> HandleAsync(ChatContext context, string? arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (page, more) = await notes.UnansweredAsync(Texts.InboxPageSize, cancellationToken);
        return context.Reply(context.Texts.Inbox(page, more));
    }
}

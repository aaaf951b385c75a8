using Baoming.Audit;
using Baoming.Chat;
using Baoming.Core;
using Baoming.Core.Replies;
using Baoming.Roles;

namespace Baoming.History;

/// <summary>
/// <c>/member @username</c> or <c>/member ID</c> (organizers): who the member is and every session they
/// signed up for, with how each ended. It shows personal data, so each lookup that shows a member is
/// audited, as an export is.
/// </summary>
public sealed class MemberCommand(RoleDirectory directory, HistoryRepository history, AuditLog audit, TimeProvider time) : IChatCommand
{
    public string Name => "member";

    public Role Requires => Role.Organizer;

    public async Task<Response> HandleAsync(ChatContext context, string? arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var texts = context.Texts;
        var target = await directory.ResolveAsync(arguments, cancellationToken);
        if (target is not MemberTarget.Found found)
        {
            return context.Reply(RoleDirectory.NotFound(target, texts, texts.MemberUsage())!);
        }

        // An id nobody with it has written to the bot: no member row, so no registrations either.
        if (await history.FindMemberAsync(found.MemberId, cancellationToken) is not { } member)
        {
            return context.Reply(texts.MemberUnknownId(found.MemberId));
        }

        var entries = await history.EntriesAsync(member.Id, time.GetUtcNow(), cancellationToken);
        var role = await directory.CardAsync(member.Id, null, cancellationToken);
        var card = new MemberHistory(member.Id, member.DisplayName, member.Username, role.Role, member.FirstSeenAt, entries);

        // Audited before the reply goes out, like an export: the engine retries a failed turn as a whole.
        await audit.WriteAsync(context.MemberId, "member.lookup", new { member_id = member.Id, sessions = entries.Count, via = "chat" }, cancellationToken);
        return context.Reply(texts.MemberHistory(card));
    }
}

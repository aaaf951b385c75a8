using Baoming.Audit;
using Baoming.Chat;
using Baoming.Core;

namespace Baoming.Web;

/// <summary><c>/dashboard</c> (organizers and admins): a single-use login link for the job dashboard.</summary>
public sealed class DashboardCommand(DashboardSessions sessions, DashboardAddress address, AuditLog audit) : IChatCommand
{
    public string Name => "dashboard";

    public Role Requires => Role.Organizer;

    public async Task<Response> HandleAsync(ChatContext context, string? arguments, CancellationToken cancellationToken)
    {
        var ticket = await sessions.IssueTicketAsync(context.MemberId, cancellationToken);
        await audit.WriteAsync(context.MemberId, "dashboard.link", new { }, cancellationToken);
        return context.Reply(context.Texts.DashboardLink(
            address.LoginLink(ticket), (int)DashboardSessions.TicketLifetime.TotalMinutes, context.Role == Role.Admin));
    }
}

/// <summary><c>/logout</c> (organizers and admins): ends every dashboard session of the member, in any browser.</summary>
public sealed class LogoutCommand(DashboardSessions sessions, AuditLog audit) : IChatCommand
{
    public string Name => "logout";

    public Role Requires => Role.Organizer;

    public async Task<Response> HandleAsync(ChatContext context, string? arguments, CancellationToken cancellationToken)
    {
        var ended = await sessions.EndAllAsync(context.MemberId, cancellationToken);
        await audit.WriteAsync(context.MemberId, "dashboard.logout", new { sessions = ended }, cancellationToken);
        return context.Reply(context.Texts.DashboardLoggedOut(ended));
    }
}

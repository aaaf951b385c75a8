using Baoming.Audit;
using Baoming.Chat;
using Baoming.Core;
using Baoming.Core.Organizers;
using Baoming.Core.Understanding;
using Hangfire;

namespace Baoming.Broadcasts;

/// <summary>"bc:7": cancels a scheduled broadcast, or stops a running one before its next batch.</summary>
public sealed class StopButton(BroadcastRepository broadcasts, AuditLog audit, IBackgroundJobClient jobs) : IButtonHandler
{
    public string Prefix => CallbackData.Prefixes.Stop;

    public Role Requires => Role.Organizer;

    public async Task<Response?> HandleAsync(ChatContext context, string payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!CallbackData.Broadcasts.TryParseBroadcast(payload, out var id) || await broadcasts.FindAsync(id, cancellationToken) is not { } broadcast)
        {
            return null;
        }

        var (isCancelled, jobId) = await broadcasts.CancelAsync(id, cancellationToken);
        if (!isCancelled)
        {
            return context.Reply(context.Texts.BroadcastNotStoppable(id));
        }

        // A scheduled job is deleted; a running one sees the state and stops itself (its run finishes the status message).
        if (broadcast.State == BroadcastState.Scheduled && jobId is not null)
        {
            jobs.Delete(jobId);
        }

        await audit.WriteAsync(context.MemberId, "broadcast.cancel", new { broadcast_id = id, was = broadcast.State.ToDatabase() }, cancellationToken);
        return context.Reply(context.Texts.BroadcastStopped(id));
    }
}

using Baoming.Audit;
using Baoming.Chat;
using Baoming.Community;
using Baoming.Core;
using Baoming.Sessions;

namespace Baoming.Feedback;

/// <summary>
/// <c>/feedback KEY</c> (organizers): the session's count, average and distribution in the message, and its
/// comments as a CSV document (when there are any). The file names members, so sending it is audited.
/// </summary>
public sealed class FeedbackCommand(
    SessionRepository sessions,
    FeedbackRepository feedback,
    AuditLog audit,
    IOptions<CommunityOptions> community) : IChatCommand
{
    public string Name => "feedback";

    public Role Requires => Role.Organizer;

    public async Task<Response> HandleAsync(ChatContext context, string? arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var texts = context.Texts;
        if (arguments?.Trim() is not { Length: > 0 } key)
        {
            return context.Reply(texts.FeedbackUsage());
        }

        if (await sessions.FindByKeyAsync(key, cancellationToken) is not var (session, _))
        {
            return context.Reply(texts.UnknownSessionKey(key));
        }

        var results = await feedback.ResultsAsync(session.Id, cancellationToken);
        var answer = context.Reply(texts.FeedbackResultsMessage(session, results));
        if (results.Comments == 0)
        {
            return answer;
        }

        var comments = await feedback.CommentsAsync(session.Id, cancellationToken);
        var csv = FeedbackCsv.Write(comments, community.Value.Zone);
        // Audited before the channel sends it: a press retried after a database outage is handled whole again.
        await audit.WriteAsync(context.MemberId, "feedback.csv", new { session_id = session.Id, session_key = session.Key, rows = comments.Count }, cancellationToken);
        return answer with
        {
            Documents = [new OutgoingDocument(context.ChatId, $"feedback-{session.Key}.csv", new MemoryStream(csv), texts.FeedbackCsvCaption(session, results))],
        };
    }
}

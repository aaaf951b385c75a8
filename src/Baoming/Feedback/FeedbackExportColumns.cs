using Baoming.Export;

namespace Baoming.Feedback;

/// <summary>
/// <c>feedback_score</c> (1–5) and <c>feedback_comment</c> per registration, empty for members who gave none. Only
/// in exports with a session whose feedback request went out (or that has a score): before that the columns
/// would be empty for everyone.
/// </summary>
public sealed class FeedbackExportColumns(FeedbackRepository feedback) : IExportColumnSource
{
    public async Task<IReadOnlyList<ExportExtraColumn>> GetColumnsAsync(IReadOnlyList<long> sessionIds, CancellationToken cancellationToken)
    {
        if (!await feedback.AnyAsync(sessionIds, cancellationToken))
        {
            return [];
        }

        // Each a primary-key lookup per row: (session_id, member_id) is the feedback table's key.
        return
        [
            new("feedback_score", "select f.score from feedback f where f.session_id = r.session_id and f.member_id = r.member_id"),
            new("feedback_comment", "select f.comment from feedback f where f.session_id = r.session_id and f.member_id = r.member_id"),
        ];
    }
}

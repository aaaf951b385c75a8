using System.Globalization;
using Baoming.Export;

namespace Baoming.Questions;

/// <summary>
/// One export column per question of the exported sessions, with the member's answer: <c>q1 公司</c> for
/// the current questions in order, then <c>removed 公司名称</c> for a question taken out that someone had
/// answered (answers are never lost to an edit). An export of several sessions prefixes each with the
/// session's key (<c>auto q1 公司</c>). Empty when the member gave no answer or skipped.
/// </summary>
public sealed class QuestionExportColumns(QuestionRepository questions) : IExportColumnSource
{
    public async Task<IReadOnlyList<ExportExtraColumn>> GetColumnsAsync(IReadOnlyList<long> sessionIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sessionIds);
        var exported = await questions.ForExportAsync(sessionIds, cancellationToken);
        return [.. exported.Select(q =>
        {
            var prefix = sessionIds.Count == 1 ? "" : q.Key + " ";
            var name = q.IsRemoved ? $"{prefix}removed {q.Text}" : string.Create(CultureInfo.InvariantCulture, $"{prefix}q{q.Position} {q.Text}");
            // Ids only: nothing an organizer or reader wrote reaches this SQL (the header is text, neutralised by the export).
            return new ExportExtraColumn(name, string.Create(CultureInfo.InvariantCulture,
                $"case when r.session_id = {q.SessionId} then (select a.answer from question_answers a where a.question_id = {q.Id} and a.member_id = r.member_id) end"));
        })];
    }
}

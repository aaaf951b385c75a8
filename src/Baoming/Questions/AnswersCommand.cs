using System.Globalization;
using System.Text;
using Baoming.Audit;
using Baoming.Chat;
using Baoming.Core;
using Baoming.Core.Export;
using Baoming.Core.Questions;
using Baoming.Core.Replies;
using Baoming.Sessions;

namespace Baoming.Questions;

/// <summary>
/// <c>/answers KEY</c> (organizers): the session's questions with the number who answered and, for a
/// choice question, the count of each choice; then everyone's answers as a CSV (UTF-8 with BOM, text
/// neutralised against formulas), one row per signed-up member, one column per question.
/// </summary>
public sealed class AnswersCommand(SessionRepository sessions, QuestionRepository questions, AuditLog audit) : IChatCommand
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public string Name => "answers";

    public Role Requires => Role.Organizer;

    public async Task<Response> HandleAsync(ChatContext context, string? arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var texts = context.Texts;
        if (arguments?.Trim() is not { Length: > 0 } key)
        {
            return context.Reply(texts.AnswersUsage());
        }

        if (await sessions.FindCountsByKeyAsync(key, cancellationToken) is not { } found)
        {
            return context.Reply(texts.UnknownSessionKey(key));
        }

        var session = found.Session;
        var current = await questions.CurrentAsync(session.Id, cancellationToken);
        if (current.Count == 0)
        {
            return context.Reply(texts.NoQuestions(session));
        }

        var sheet = await questions.AnswerSheetAsync(session.Id, [.. current.Select(q => q.Id)], cancellationToken);
        var answers = sheet.Where(r => r.QuestionId is not null).Select(r => (r.QuestionId!.Value, r.Answer!)).ToList();
        var tallies = AnswerSummary.Tally(current, answers);
        var summary = texts.AnswersSummary(session, found.Confirmed + found.Waitlisted, tallies, hasCsv: answers.Count > 0);
        if (answers.Count == 0)
        {
            return context.Reply(summary);
        }

        var csv = WriteCsv(current, sheet);
        // Members' answers leave the bot: written down like an export, before the channel sends it.
        await audit.WriteAsync(context.MemberId, "answers.csv", new { session_id = session.Id, session_key = session.Key, rows = sheet.Select(r => r.MemberId).Distinct().Count() }, cancellationToken);
        return new Response([new Outgoing(context.ChatId, summary)])
        {
            Documents = [new OutgoingDocument(context.ChatId, $"{session.Key}-answers.csv", csv, texts.AnswersCaption(session)) { IfNotSent = texts.AnswersNotSent() }],
        };
    }

    /// <summary>telegram_user_id, username, display_name, status, then "q1 公司", … in the questions' order.</summary>
    private static MemoryStream WriteCsv(IReadOnlyList<SessionQuestion> current, IReadOnlyList<AnswerSheetRow> sheet)
    {
        var output = new MemoryStream();
        output.Write(CsvFormat.ByteOrderMark);
        using (var writer = new StreamWriter(output, Utf8, leaveOpen: true))
        {
            CsvFormat.WriteHeader(writer, ["telegram_user_id", "username", "display_name", "status", .. current.Select(q => string.Create(CultureInfo.InvariantCulture, $"q{q.Number} {q.Text}"))]);
            var cells = new ExportCell[4 + current.Count];
            foreach (var member in sheet.GroupBy(r => r.MemberId))
            {
                var first = member.First();
                cells[0] = ExportCell.FromNumber(first.MemberId);
                cells[1] = ExportCell.FromText(first.Username);
                cells[2] = ExportCell.FromText(first.DisplayName);
                cells[3] = ExportCell.FromText(first.Status);
                for (var i = 0; i < current.Count; i++)
                {
                    cells[4 + i] = ExportCell.FromText(member.FirstOrDefault(r => r.QuestionId == current[i].Id)?.Answer);
                }

                CsvFormat.WriteRecord(writer, cells);
            }
        }

        output.Position = 0;
        return output;
    }
}

using System.Globalization;
using System.Text;
using Baoming.Audit;
using Baoming.Chat;
using Baoming.Core;
using Baoming.Core.Export;
using Baoming.Core.Understanding;

namespace Baoming.Broadcasts;

/// <summary>
/// "bn:7": the people a broadcast did not reach, as a CSV the organizer can work through by other means.
/// It names people (ids, usernames, names), so only the broadcast's author and admins get it, whoever holds the button's data.
/// </summary>
public sealed class NotReachedButton(BroadcastRepository broadcasts, AuditLog audit) : IButtonHandler
{
    private static readonly string[] Columns = ["telegram_user_id", "username", "display_name", "state"];

    public string Prefix => CallbackData.Prefixes.NotReached;

    public Role Requires => Role.Organizer;

    public async Task<Response?> HandleAsync(ChatContext context, string payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!CallbackData.Broadcasts.TryParseBroadcast(payload, out var id) || await broadcasts.FindAsync(id, cancellationToken) is not { } broadcast)
        {
            return null;
        }

        if (broadcast.AuthorId != context.MemberId && context.Role < Role.Admin)
        {
            return context.Reply(context.Texts.NotReachedNotYours(id));
        }

        var rows = await broadcasts.NotReachedAsync(id, cancellationToken);
        if (rows.Count == 0)
        {
            return context.Reply(context.Texts.EveryoneReached(id));
        }

        // The channel sends the document and then closes the stream.
        var content = new MemoryStream();
        content.Write(CsvFormat.ByteOrderMark);
        await using (var writer = new StreamWriter(content, new UTF8Encoding(false), leaveOpen: true))
        {
            CsvFormat.WriteHeader(writer, Columns);
            foreach (var row in rows)
            {
                CsvFormat.WriteRecord(writer,
                [
                    ExportCell.FromNumber(row.MemberId),
                    ExportCell.FromText(row.Username ?? ""),
                    ExportCell.FromText(row.DisplayName),
                    ExportCell.FromText(row.State),
                ]);
            }
        }

        await audit.WriteAsync(context.MemberId, "broadcast.not_reached", new { broadcast_id = id, rows = rows.Count }, cancellationToken);
        content.Position = 0;
        var fileName = string.Create(CultureInfo.InvariantCulture, $"broadcast-{id}-not-reached.csv");
        return new Response([])
        {
            Documents = [new OutgoingDocument(context.ChatId, fileName, content, context.Texts.NotReachedCaption(id, rows.Count))],
        };
    }
}

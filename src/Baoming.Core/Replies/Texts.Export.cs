using System.Globalization;
using System.Text;
using Baoming.Core.Export;
using Baoming.Core.Understanding;

namespace Baoming.Core.Replies;

// Exports (admins): choosing a session and a format, the file's caption, files too large to send.
public sealed partial class Texts
{
    public Reply ExportChooseSession(IReadOnlyList<ExportChoice> choices, int more, string? note = null)
    {
        var text = new StringBuilder();
        if (note is not null)
        {
            text.Append(note).Append("\n\n");
        }

        if (choices.Count == 0)
        {
            text.Append(Pick("还没有任何场次可以导出。", "There are no sessions to export yet."));
            return Reply.Plain(text.ToString());
        }

        text.Append(Pick("导出哪一场的报名名单？", "Export the attendee list of which session?"));
        if (more > 0)
        {
            text.Append('\n').Append(Pick(
                $"（只列出最近的 {choices.Count} 场；更早的场次请发送「/export 场次key」。）",
                $"(Showing the latest {choices.Count}; for older ones send \"/export KEY\".)"));
        }

        return Reply.WithButtons(text.ToString(), choices.Select(c => new Button(
            Pick($"{c.Session.Title}（{Day(c.Session)}）· {c.Confirmed} 人", $"{c.Session.Title} ({Day(c.Session)}) · {c.Confirmed}"),
            CallbackData.Export.Session(c.Session.Id))));
    }

    public Reply ExportUnknownSession(string key, IReadOnlyList<ExportChoice> choices, int more) =>
        ExportChooseSession(choices, more, Pick($"没有 key 为「{Clip(key)}」的场次。", $"No session has the key \"{Clip(key)}\"."));

    public Reply ExportChooseFormat(Session session) => Reply.WithButtons(
        Pick($"「{session.Title}」的名单导出为哪种格式？", $"Which format for \"{session.Title}\"?"),
        [
            new Button(Pick("CSV（Excel 可直接打开）", "CSV (opens in Excel)"), CallbackData.Export.Format(session.Id, ExportFileFormat.Csv)),
            new Button(Pick("XLSX（Excel 工作簿）", "XLSX (Excel workbook)"), CallbackData.Export.Format(session.Id, ExportFileFormat.Xlsx)),
        ]);

    /// <summary>Telegram's limit on a document's caption, in characters.</summary>
    public const int MaxCaptionLength = 1024;

    /// <summary>
    /// The document's caption: the counts, then what other features know of the session (show rate,
    /// feedback…). Telegram allows 1024 characters, so the title is clipped and lines that do not fit are left out.
    /// </summary>
    public string ExportCaption(Session session, ExportSummary summary, IReadOnlyList<string>? facts = null)
    {
        var title = session.Title.Length > 200 ? session.Title[..200] + "…" : session.Title;
        var caption = new StringBuilder(Pick(
            $"「{title}」报名名单（{When(session)}）\n已报名 {summary.Confirmed} 人，候补 {summary.Waitlisted} 人，已取消 {summary.Cancelled} 人，共 {summary.Total} 行。",
            $"\"{title}\" attendee list ({When(session)})\n{summary.Confirmed} confirmed, {summary.Waitlisted} waitlisted, {summary.Cancelled} cancelled; {summary.Total} rows."));
        foreach (var line in facts ?? [])
        {
            if (caption.Length + 1 + line.Length > MaxCaptionLength)
            {
                break;
            }

            caption.Append('\n').Append(line);
        }

        return caption.ToString();
    }

    public string ExportSent() => Pick("名单已发送 📎", "List sent 📎");

    public Reply ExportTooLarge(Session session, long bytes, long limit) => Reply.Plain(Pick(
        $"「{session.Title}」的名单文件有 {Megabytes(bytes)} MB，超过了 Telegram 文件 {Megabytes(limit)} MB 的上限，无法在聊天中发送。" +
        $"请在服务器上用命令行导出：\nbaoming export --session {session.Key} --format csv --output {session.Key}.csv",
        $"The list for \"{session.Title}\" is {Megabytes(bytes)} MB, over Telegram's {Megabytes(limit)} MB limit for files, so it can't be sent in chat. " +
        $"Export it on the server from the command line:\nbaoming export --session {session.Key} --format csv --output {session.Key}.csv"));

    public Reply ExportNotSent() => Reply.Plain(Pick(
        "名单文件没能发送出去，请稍后再试，或在服务器上用命令行 baoming export 导出。",
        "The file could not be sent. Try again in a moment, or export it on the server with baoming export."));

    private static string Megabytes(long bytes) => (bytes / (1024.0 * 1024)).ToString("0.#", CultureInfo.InvariantCulture);
}

using System.Globalization;
using System.Text;
using Baoming.Core.Attendance;
using Baoming.Core.Understanding;

namespace Baoming.Core.Replies;

// Attendance (issue 17): 我已入会, the organizers' import of a meeting platform's list, the show rate.
public sealed partial class Texts
{
    private Button JoinedButton(Session session) => new(Pick("✅ 我已入会", "✅ I've joined"), CallbackData.Attendance.Joined(session.Id));

    /// <summary>The notice on 我已入会 when it recorded the member's attendance.</summary>
    public string JoinedRecorded() => Pick("✅ 已记录你的出席，欢迎！", "✅ Got it, you're marked as attending. Welcome!");

    /// <summary>A second press (or the link had already counted): nothing changes.</summary>
    public string JoinedAlready() => Pick("👌 已经记下你的出席了，不用再点啦。", "👌 You're already marked as attending; no need to tap again.");

    public string JoinedTooEarly() => Pick(
        $"会议还没开始，开始前 {(int)AttendanceWindow.OpensBefore.TotalMinutes} 分钟起可以点。",
        $"The session hasn't started yet; this works from {(int)AttendanceWindow.OpensBefore.TotalMinutes} minutes before the start.");

    public string JoinedTooLate() => Pick("这场选题会已经结束，出席不能再记录了。", "This session is over; attendance can no longer be recorded.");

    /// <summary>"出席 37/50（74%）": attended of those who ended confirmed, for a session that has started.</summary>
    public string ShowRate(int attended, int confirmed) => confirmed == 0
        ? Pick($"出席 {attended}/0", $"Attended {attended}/0")
        : Pick(
            string.Create(CultureInfo.InvariantCulture, $"出席 {attended}/{confirmed}（{Percent(attended, confirmed)}%）"),
            string.Create(CultureInfo.InvariantCulture, $"Attended {attended}/{confirmed} ({Percent(attended, confirmed)}%)"));

    private static int Percent(int part, int whole) => (int)Math.Round(100.0 * part / whole, MidpointRounding.AwayFromZero);

    public Reply AttendanceUsage() => Reply.Plain(Pick(
        "用法：/attendance KEY\n然后发送会议平台导出的参会名单（CSV 或 XLSX）。发送 /sessions 查看 KEY。",
        "Usage: /attendance KEY\nthen send the attendee list exported from the meeting platform (CSV or XLSX). Send /sessions for the keys."));

    public Reply AttendanceAskFile(Session session) => Reply.Plain(Pick(
        $"请发送「{session.Title}」的参会名单文件（CSV 或 XLSX，最大 {AttendanceList.MaxBytes / 1_000_000} MB）。\n每行一位：Telegram 数字 ID、@用户名、个人入会链接或其中的口令；其他行会列出来，不会猜。\n发送「取消」放弃。",
        $"Send the attendee list of \"{session.Title}\" as a file (CSV or XLSX, at most {AttendanceList.MaxBytes / 1_000_000} MB).\nOne person a row: Telegram numeric id, @username, personal join link or its token; other rows are listed, never guessed.\nSend \"cancel\" to stop."));

    public Reply AttendanceNeedsFile() => Reply.Plain(Pick(
        "请发送 CSV 或 XLSX 文件（作为文件发送，不是图片）。发送「取消」放弃。",
        "Please send a CSV or XLSX file (as a file, not a photo). Send \"cancel\" to stop."));

    public Reply AttendanceFileTooBig() => Reply.Plain(Pick(
        $"文件太大了（最大 {AttendanceList.MaxBytes / 1_000_000} MB）。请只导出参会者这一列再发。",
        $"That file is too big (at most {AttendanceList.MaxBytes / 1_000_000} MB). Export just the attendee column and send it again."));

    public Reply AttendanceFileUnreadable() => Reply.Plain(Pick(
        "这个文件读不出来：请发送 CSV（UTF-8）或 XLSX 文件。",
        "I couldn't read that file: please send a CSV (UTF-8) or XLSX file."));

    public Reply AttendanceNoFiles() => Reply.Plain(Pick(
        "这里不能接收文件。请在服务器上用命令行：baoming attendance import --session KEY --file 文件",
        "Files can't be received here. On the server, use: baoming attendance import --session KEY --file PATH"));

    /// <summary>The import's outcome, for the organizer (the chat) and the operator (the CLI).</summary>
    public Reply AttendanceImported(Session session, AttendanceImportResult result)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(result);
        var text = new StringBuilder(Pick($"📋 「{session.Title}」出席导入完成", $"📋 Attendance imported for \"{session.Title}\"")).Append('\n')
            .Append(Pick(
                $"新记录出席 {result.Marked} · 已记录过 {result.AlreadyMarked} · 未报名 {result.NotSignedUp} · 无法识别 {result.Unknown.Count + result.MoreUnknown}",
                $"Marked {result.Marked} · already marked {result.AlreadyMarked} · not signed up {result.NotSignedUp} · not recognised {result.Unknown.Count + result.MoreUnknown}"));
        if (result.Unknown.Count > 0)
        {
            text.Append('\n').Append(Pick("无法识别的行：", "Rows not recognised:"));
            foreach (var row in result.Unknown)
            {
                text.Append('\n').Append(Pick($"第 {row.Line} 行：", $"row {row.Line}: ")).Append(ClipTo(row.Text, 60));
            }

            if (result.MoreUnknown > 0)
            {
                text.Append('\n').Append(Pick($"……另有 {result.MoreUnknown} 行", $"…and {result.MoreUnknown} more"));
            }
        }

        return Reply.Plain(text.ToString());
    }
}

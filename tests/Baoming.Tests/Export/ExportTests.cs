using System.Text;
using Baoming.Core.Export;
using Baoming.Core.Understanding;
using Baoming.Export;
using Baoming.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Baoming.Tests.Export;

/// <summary>Attendee exports: the rows and files, and the chat flow through the fake Bot API.</summary>
public sealed class ExportTests : IAsyncLifetime
{
    /// <summary>The configured sessions have a day- and an hour-before reminder: one delivery-state column each.</summary>
    private static readonly string[] ReminderColumns = ["reminder_1d_before", "reminder_1h_before"];

    private const long Admin = 8001;
    private const long Reader = 5001;
    private static readonly DateTimeOffset Day = new(2027, 1, 20, 4, 0, 0, TimeSpan.Zero); // 12:00 in Beijing

    private BotHarness bot = null!;

    public async Task InitializeAsync() => bot = await BotHarness.StartAsync(new Dictionary<string, string?> { ["Community:Admins:0"] = "8001" });

    public async Task DisposeAsync() => await bot.DisposeAsync();

    private async Task<byte[]> ExportAsync(ExportFileFormat format, params string[] keys)
    {
        var ids = new List<long>();
        foreach (var key in keys)
        {
            ids.Add(await bot.SessionIdAsync(key));
        }

        using var output = new MemoryStream();
        await bot.Host.Services.GetRequiredService<Exporter>().WriteAsync(output, format, ids, progress: null, CancellationToken.None);
        return output.ToArray();
    }

    private Task SeedStatusesAsync() => ExportData.SeedAsync(
        bot.ConnectionString,
        "metaverse",
        new SeedRegistration(101, "Cancelled Carol", "cancelled", Day, "carol", "en", CancelledAt: Day.AddHours(13), IsUnreachable: true),
        new SeedRegistration(102, "Second in line", "waitlisted", Day.AddMinutes(1), WaitlistSeq: 20),
        new SeedRegistration(103, "First in line", "waitlisted", Day.AddMinutes(2), WaitlistSeq: 10),
        new SeedRegistration(104, "张三", "confirmed", Day.AddMinutes(3), "zhangsan"),
        new SeedRegistration(105, "Early Eve", "confirmed", Day.AddMinutes(-5), Language: null));

    [Fact]
    public async Task Each_status_has_its_columns_in_order_confirmed_then_waitlisted_then_cancelled()
    {
        await SeedStatusesAsync();

        var records = ExportData.ParseCsv(await ExportAsync(ExportFileFormat.Csv, "metaverse"));

        Assert.Equal([.. ExportColumns.Standard, .. ReminderColumns], records[0]);
        Assert.Equal(
            [
                // The two reminder columns stay empty: neither reminder has gone out yet.
                ["metaverse", "到底什么是\"元宇宙\"", "confirmed", "", "2027-01-20 11:55:00", "", "105", "", "Early Eve", "", "true", "", ""],
                ["metaverse", "到底什么是\"元宇宙\"", "confirmed", "", "2027-01-20 12:03:00", "", "104", "zhangsan", "张三", "zh-hans", "true", "", ""],
                ["metaverse", "到底什么是\"元宇宙\"", "waitlisted", "1", "2027-01-20 12:02:00", "", "103", "", "First in line", "zh-hans", "true", "", ""],
                ["metaverse", "到底什么是\"元宇宙\"", "waitlisted", "2", "2027-01-20 12:01:00", "", "102", "", "Second in line", "zh-hans", "true", "", ""],
                ["metaverse", "到底什么是\"元宇宙\"", "cancelled", "", "2027-01-20 12:00:00", "2027-01-21 01:00:00", "101", "carol", "Cancelled Carol", "en", "false", "", ""],
            ],
            records.Skip(1).ToList());
    }

    [Fact]
    public async Task The_CSV_starts_with_a_BOM_ends_lines_with_CRLF_and_quotes_what_needs_quoting()
    {
        await ExportData.SeedAsync(bot.ConnectionString, "auto", new SeedRegistration(201, "Li, \"Lee\"", "confirmed", Day));

        var bytes = await ExportAsync(ExportFileFormat.Csv, "auto");

        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var text = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
        Assert.EndsWith("\r\n", text, StringComparison.Ordinal);
        Assert.Equal(2, text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains(",\"Li, \"\"Lee\"\"\",", text);
    }

    private static readonly string[] FormulaNames =
        ["=HYPERLINK(\"http://x\",\"y\")", "+1", "-2", "@cmd", "\tTab", "\rReturn", "＝HYPERLINK(\"http://x\")", "＋1", "－2", "＠cmd", "  =1+1", "\t\t@cmd"];

    private static readonly string[] TextCellTypes = ["s", "str", "inlineStr"];

    [Fact]
    public async Task Display_names_that_look_like_formulas_get_an_apostrophe_in_CSV()
    {
        await ExportData.SeedAsync(bot.ConnectionString, "auto", [.. FormulaNames.Select((n, i) => new SeedRegistration(300 + i, n, "confirmed", Day.AddMinutes(i)))]);

        var exported = ExportData.ParseCsv(await ExportAsync(ExportFileFormat.Csv, "auto")).Skip(1).Select(r => r[8]);

        Assert.Equal(FormulaNames.Select(n => "'" + n), exported);
    }

    [Fact]
    public async Task Display_names_that_look_like_formulas_are_plain_text_cells_in_XLSX_without_an_apostrophe()
    {
        await ExportData.SeedAsync(bot.ConnectionString, "auto", [.. FormulaNames.Select((n, i) => new SeedRegistration(300 + i, n, "confirmed", Day.AddMinutes(i)))]);

        var bytes = await ExportAsync(ExportFileFormat.Xlsx, "auto");

        // XLSX stores a lone CR as a line break (XML normalises line ends), so compare up to that.
        var exported = ExportData.ReadXlsx(bytes).Skip(1).Select(r => ((string?)r[8])?.Replace("\n", "\r", StringComparison.Ordinal));
        Assert.Equal(FormulaNames, exported);
        var sheet = ExportData.XlsxSheetXml(bytes);
        Assert.DoesNotContain("<f>", sheet, StringComparison.Ordinal);
        Assert.DoesNotContain("<f ", sheet, StringComparison.Ordinal);
        Assert.DoesNotContain("'=", sheet, StringComparison.Ordinal);
        // Each name is in a cell typed as text (a shared or inline string), never a number or formula.
        Assert.All(ExportData.XlsxCellTypes(sheet, column: "I").Skip(1), type => Assert.Contains(type, TextCellTypes));
    }

    [Fact]
    public async Task The_XLSX_reads_back_with_MiniExcel_with_numbers_as_numbers()
    {
        await SeedStatusesAsync();

        var rows = ExportData.ReadXlsx(await ExportAsync(ExportFileFormat.Xlsx, "metaverse"));

        Assert.Equal([.. ExportColumns.Standard, .. ReminderColumns], rows[0].Select(v => (string?)v));
        Assert.Equal(6, rows.Count);
        var first = rows[3];
        Assert.Equal(["metaverse", "到底什么是\"元宇宙\"", "waitlisted", 1.0, "2027-01-20 12:02:00", null, 103.0, null, "First in line", "zh-hans", "true", null, null], first);
        Assert.Equal("2027-01-21 01:00:00", rows[5][5]);
    }

    [Theory]
    [InlineData(ExportFileFormat.Csv)]
    [InlineData(ExportFileFormat.Xlsx)]
    public async Task A_session_with_no_registrations_exports_the_header_only(ExportFileFormat format)
    {
        var bytes = await ExportAsync(format, "auto");

        var rows = format == ExportFileFormat.Csv
            ? ExportData.ParseCsv(bytes).Select(r => r.Cast<object?>().ToList()).ToList()
            : ExportData.ReadXlsx(bytes);
        Assert.Equal([.. ExportColumns.Standard, .. ReminderColumns], Assert.Single(rows));
    }

    [Theory]
    [InlineData(ExportFileFormat.Csv)]
    [InlineData(ExportFileFormat.Xlsx)]
    public async Task Names_with_emoji_commas_quotes_and_newlines_round_trip(ExportFileFormat format)
    {
        string[] names = ["小明 😀🎉", "Smith, John", "The \"Boss\"", "two\nlines", "👨‍👩‍👧 family", "_x0041_"];
        await ExportData.SeedAsync(bot.ConnectionString, "auto", [.. names.Select((n, i) => new SeedRegistration(400 + i, n, "confirmed", Day.AddMinutes(i)))]);

        var bytes = await ExportAsync(format, "auto");

        var exported = format == ExportFileFormat.Csv
            ? ExportData.ParseCsv(bytes).Skip(1).Select(r => (string?)r[8]).ToList()
            : ExportData.ReadXlsx(bytes).Skip(1).Select(r => (string?)r[8]).ToList();
        Assert.Equal(names, exported);
    }

    [Fact]
    public async Task Columns_from_a_registered_column_source_are_appended_after_the_standard_ones()
    {
        await ExportData.SeedAsync(bot.ConnectionString, "auto", new SeedRegistration(501, "Ann", "confirmed", Day));
        var exporter = new Exporter(
            new ExportReader(bot.Host.Services.GetRequiredService<NpgsqlDataSource>(), [new ConstantColumns()]),
            bot.Host.Services.GetRequiredService<IOptions<Community.CommunityOptions>>());

        using var output = new MemoryStream();
        await exporter.WriteAsync(output, ExportFileFormat.Csv, [await bot.SessionIdAsync("auto")], null, CancellationToken.None);

        var records = ExportData.ParseCsv(output.ToArray());
        Assert.Equal([.. ExportColumns.Standard, "member_twice", "note"], records[0]);
        Assert.Equal(["1002", "'=x"], records[1][^2..]);
        using var xlsx = new MemoryStream();
        await exporter.WriteAsync(xlsx, ExportFileFormat.Xlsx, [await bot.SessionIdAsync("auto")], null, CancellationToken.None);
        Assert.Equal("=x", ExportData.ReadXlsx(xlsx.ToArray())[1][^1]);
    }

    private sealed class ConstantColumns : IExportColumnSource
    {
        public Task<IReadOnlyList<ExportExtraColumn>> GetColumnsAsync(IReadOnlyList<long> sessionIds, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<ExportExtraColumn>>([new("member_twice", "m.id * 2"), new("note", "'=x'")]);
    }

    [Fact]
    public async Task An_admin_exports_by_choosing_a_session_then_a_format_and_receives_the_file()
    {
        await SeedStatusesAsync();

        var sessions = await bot.AskAsync(Admin, "/export");
        var metaverse = sessions.Buttons().Single(b => b.Text.Contains("元宇宙", StringComparison.Ordinal));
        var formats = await bot.PressAsync(Admin, metaverse.CallbackData!);
        Assert.Equal(2, formats.Buttons().Count);
        bot.Press(Admin, formats.Buttons().Single(b => b.Text.StartsWith("CSV", StringComparison.Ordinal)).CallbackData!);

        var document = await bot.Telegram.WaitForDocumentAsync(Admin);
        Assert.Equal("metaverse-2027-02-17.csv", document.FileName);
        Assert.Contains("已报名 2 人，候补 2 人，已取消 1 人", document.Caption);
        var records = ExportData.ParseCsv(document.Content);
        Assert.Equal(6, records.Count);
        Assert.Equal("Early Eve", records[1][8]);
        await bot.WaitUntilIdleAsync();
        var audited = await bot.QueryAsync<string>("select details->>'session_key' from audit_log where action = 'export' and actor_id = @Admin", new { Admin });
        Assert.Equal(["metaverse"], audited);
    }

    [Fact]
    public async Task An_admin_can_name_the_session_and_get_an_XLSX()
    {
        await SeedStatusesAsync();

        var formats = await bot.AskAsync(Admin, "/export metaverse", language: "en");
        bot.Press(Admin, formats.Buttons().Single(b => b.Text.StartsWith("XLSX", StringComparison.Ordinal)).CallbackData!, language: "en");

        var document = await bot.Telegram.WaitForDocumentAsync(Admin);
        Assert.Equal("metaverse-2027-02-17.xlsx", document.FileName);
        Assert.Contains("2 confirmed, 2 waitlisted, 1 cancelled", document.Caption);
        Assert.Equal(6, ExportData.ReadXlsx(document.Content).Count);
    }

    [Fact]
    public async Task A_non_admin_asking_for_an_export_gets_nothing()
    {
        await SeedStatusesAsync();
        var sessionId = await bot.SessionIdAsync("metaverse");

        var reply = await bot.AskAsync(Reader, "/export");
        bot.Press(Reader, CallbackData.Export.Session(sessionId));
        bot.Press(Reader, CallbackData.Export.Format(sessionId, ExportFileFormat.Csv));
        await bot.WaitUntilIdleAsync();

        Assert.Contains("只有组织者或管理员", reply.Text);
        Assert.Empty(reply.Buttons());
        Assert.Empty(bot.Telegram.Documents);
        Assert.Equal(0, await bot.ScalarAsync<long>("select count(*) from audit_log where action = 'export'"));
    }

    [Fact]
    public async Task An_export_over_Telegrams_limit_is_not_sent_and_points_at_the_command_line()
    {
        await SeedStatusesAsync();
        bot.Host.Services.GetRequiredService<ExportLimits>().MaxDocumentBytes = 100;

        bot.Press(Admin, CallbackData.Export.Format(await bot.SessionIdAsync("metaverse"), ExportFileFormat.Csv));
        var reply = await bot.Telegram.WaitForMessageAsync(Admin);

        Assert.Contains("export --session metaverse", reply.Text);
        await bot.WaitUntilIdleAsync();
        Assert.Empty(bot.Telegram.Documents);
    }

    [Fact]
    public async Task An_export_Telegram_refuses_is_audited_once_and_the_admin_is_told_it_was_not_sent()
    {
        await SeedStatusesAsync();
        bot.Telegram.FailNext("sendDocument", 400, "Bad Request: file is too big");

        bot.Press(Admin, CallbackData.Export.Format(await bot.SessionIdAsync("metaverse"), ExportFileFormat.Csv));
        var reply = await bot.Telegram.WaitForMessageAsync(Admin);

        Assert.Contains("没能发送", reply.Text);
        await bot.WaitUntilIdleAsync();
        Assert.Empty(bot.Telegram.Documents);
        Assert.Equal(1, await bot.ScalarAsync<long>("select count(*) from audit_log where action = 'export'"));
    }

    [Fact]
    public async Task A_stale_export_button_for_a_session_that_does_not_exist_changes_nothing()
    {
        bot.Press(Admin, CallbackData.Export.Format(999_999, ExportFileFormat.Csv));
        await bot.WaitUntilIdleAsync();

        Assert.Empty(bot.Telegram.Documents);
        Assert.Contains(bot.Telegram.CallbackAnswers, a => a.Text is { } t && t.Contains("失效", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Export_buttons_fit_in_Telegrams_64_byte_callback_data()
    {
        var sessions = await bot.AskAsync(Admin, "/export");

        Assert.Equal(2, sessions.Buttons().Count);
        Assert.All(sessions.Buttons(), b => Assert.StartsWith("ex:", b.CallbackData, StringComparison.Ordinal));
    }
}

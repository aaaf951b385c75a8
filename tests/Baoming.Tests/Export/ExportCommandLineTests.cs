using System.Text;
using Baoming.Core.Export;
using Baoming.Tests.Infrastructure;

namespace Baoming.Tests.Export;

/// <summary>The <c>export</c> verb, run as its own process against a real database.</summary>
public sealed class ExportCommandLineTests
{
    /// <summary>The configured sessions have a day- and an hour-before reminder: one delivery-state column each.</summary>
    private static readonly string[] ReminderColumns = ["reminder_1d_before", "reminder_1h_before"];

    private static readonly DateTimeOffset Day = new(2027, 1, 20, 4, 0, 0, TimeSpan.Zero);

    /// <summary>A migrated database with registrations in both configured sessions, and the environment to reach it.</summary>
    private static async Task<Dictionary<string, string?>> DatabaseAsync()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync();
        await using (await BotHarness.StartAsync(connectionString: connectionString))
        {
        }

        await ExportData.SeedAsync(connectionString, "metaverse",
            new SeedRegistration(1, "Ann, \"the first\"", "confirmed", Day),
            new SeedRegistration(2, "=1+1", "waitlisted", Day.AddMinutes(1), WaitlistSeq: 1));
        await ExportData.SeedAsync(connectionString, "auto", new SeedRegistration(3, "小明 😀", "confirmed", Day));
        var environment = BaomingProcess.UpcomingSessions();
        environment["ConnectionStrings__Postgres"] = connectionString;
        return environment;
    }

    private static string TempFile(string extension) => Path.Combine(Path.GetTempPath(), $"baoming-test-{Guid.NewGuid():N}.{extension}");

    [Fact]
    public async Task I_can_export_a_session_to_a_CSV_file()
    {
        var file = TempFile("csv");
        try
        {
            var result = await BaomingProcess.RunAsync($"export --session metaverse --output {file}", "", await DatabaseAsync());

            Assert.True(result.ExitCode == 0, result.Error);
            Assert.Equal("", result.Output);
            var records = ExportData.ParseCsv(await File.ReadAllBytesAsync(file));
            Assert.Equal([.. ExportColumns.Standard, .. ReminderColumns], records[0]);
            Assert.Equal(["Ann, \"the first\"", "'=1+1"], records.Skip(1).Select(r => r[8]));
            Assert.False(File.Exists(file + ".partial"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task I_can_export_to_standard_output_with_nothing_else_on_it()
    {
        var result = await BaomingProcess.RunAsync("export --session metaverse", "", await DatabaseAsync());

        Assert.True(result.ExitCode == 0, result.Error);
        // The reader strips the BOM; the rest must be the CSV and only the CSV.
        var records = ExportData.ParseCsv([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(result.Output.TrimStart('\uFEFF'))]);
        Assert.Equal(3, records.Count);
        Assert.Equal([.. ExportColumns.Standard, .. ReminderColumns], records[0]);
    }

    [Fact]
    public async Task Session_all_exports_every_session_as_XLSX()
    {
        var file = TempFile("xlsx");
        try
        {
            var result = await BaomingProcess.RunAsync($"export --session all --output {file}", "", await DatabaseAsync());

            Assert.True(result.ExitCode == 0, result.Error);
            var rows = ExportData.ReadXlsx(await File.ReadAllBytesAsync(file));
            Assert.Equal(["auto", "metaverse", "metaverse"], rows.Skip(1).Select(r => (string?)r[0]));
            Assert.Equal("小明 😀", rows[1][8]);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task An_unknown_session_fails_with_one_message_naming_the_known_keys()
    {
        var result = await BaomingProcess.RunAsync("export --session nosuch", "", await DatabaseAsync());

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Output);
        Assert.Contains("'nosuch'", result.Error);
        Assert.Contains("metaverse", result.Error);
    }

    [Fact]
    public async Task A_bad_format_fails_before_touching_anything()
    {
        var result = await BaomingProcess.RunAsync("export --session metaverse --format pdf", "", new Dictionary<string, string?>());

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("csv or xlsx", result.Error);
    }

    [Fact]
    public async Task A_file_that_cannot_be_written_fails_with_one_message()
    {
        var result = await BaomingProcess.RunAsync("export --session metaverse --output /nonexistent-folder/x.csv", "", new Dictionary<string, string?>());

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("cannot write /nonexistent-folder/x.csv", result.Error);
    }

    [Fact]
    public async Task Export_help_describes_the_options()
    {
        var result = await BaomingProcess.RunAsync("export --help", "", new Dictionary<string, string?>());

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("--session", result.Output);
        Assert.Contains("--format", result.Output);
        Assert.Contains("--output", result.Output);
    }

    [Fact]
    public async Task Export_without_a_session_is_a_command_line_error_on_standard_error()
    {
        var result = await BaomingProcess.RunAsync("export", "", new Dictionary<string, string?> { ["ConnectionStrings__Postgres"] = "Host=127.0.0.1;Port=1" }, TimeSpan.FromSeconds(30));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Output);
        Assert.Contains("--session", result.Error);
        Assert.DoesNotContain("Description:", result.Error);
    }

    [Fact]
    public async Task An_unknown_format_is_refused_listing_the_choices()
    {
        var result = await BaomingProcess.RunAsync("export --session x --format pdf", "", new Dictionary<string, string?> { ["ConnectionStrings__Postgres"] = "Host=127.0.0.1;Port=1" }, TimeSpan.FromSeconds(30));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Output);
        Assert.Contains("pdf", result.Error);
        Assert.Contains("csv", result.Error);
        Assert.Contains("xlsx", result.Error);
        Assert.DoesNotContain("Description:", result.Error);
    }
}

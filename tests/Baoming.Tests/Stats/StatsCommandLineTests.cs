using System.Text;
using Baoming.Tests.Infrastructure;

namespace Baoming.Tests.Stats;

/// <summary>The <c>stats</c> verb, run as its own process against a real database: data in the file, nothing on standard output.</summary>
public sealed class StatsCommandLineTests
{
    private static readonly DateTimeOffset From = new(2026, 11, 1, 9, 0, 0, TimeSpan.FromHours(8));

    /// <summary>A migrated database: 40 sign-ups to metaverse, 25 to auto, both in the series xuantihui.</summary>
    private static async Task<Dictionary<string, string?>> DatabaseAsync()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync();
        await using (await BotHarness.StartAsync(connectionString: connectionString))
        {
        }

        await StatsData.SeedAsync(connectionString, "metaverse", 40, 1, From, TimeSpan.FromHours(2));
        await StatsData.SeedAsync(connectionString, "auto", 25, 1, From, TimeSpan.FromHours(2));
        await StatsData.SeriesAsync(connectionString, "xuantihui", "线上选题会", "auto", "metaverse");
        var environment = BaomingProcess.UpcomingSessions();
        environment["ConnectionStrings__Postgres"] = connectionString;
        // Configured sessions take their series from the configuration at every start: the verb's own start too.
        environment["Series__0__Key"] = "xuantihui";
        environment["Series__0__Title"] = "线上选题会";
        environment["Sessions__0__Series"] = "xuantihui";
        environment["Sessions__1__Series"] = "xuantihui";
        return environment;
    }

    private static string TempFile(string extension) => Path.Combine(Path.GetTempPath(), $"baoming-test-{Guid.NewGuid():N}.{extension}");

    private static List<string> CsvLines(string file)
    {
        var bytes = File.ReadAllBytes(file);
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        return [.. Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3).Split("\r\n", StringSplitOptions.RemoveEmptyEntries)];
    }

    [Fact]
    public async Task I_can_draw_a_session_to_a_PNG_file_with_the_summary_on_standard_error()
    {
        var file = TempFile("png");
        try
        {
            var result = await BaomingProcess.RunAsync($"stats --session metaverse --output {file}", "", await DatabaseAsync());

            Assert.True(result.ExitCode == 0, result.Error);
            Assert.Equal("", result.Output);
            Assert.Contains("报名 40 人次：已报名 34 · 候补 2 · 已取消 4", result.Error);
            StatsData.AssertChart(await File.ReadAllBytesAsync(file));
            Assert.False(File.Exists(file + ".partial"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task I_can_write_a_session_s_numbers_to_a_CSV_file()
    {
        var file = TempFile("csv");
        try
        {
            var result = await BaomingProcess.RunAsync($"stats --session metaverse --output {file}", "", await DatabaseAsync());

            Assert.True(result.ExitCode == 0, result.Error);
            Assert.Equal("", result.Output);
            var lines = CsvLines(file);
            Assert.Equal("metric,at,label,value", lines[0]);
            Assert.Equal(40, lines.Where(l => l.StartsWith("signups,", StringComparison.Ordinal)).Sum(l => int.Parse(l.Split(',')[3], System.Globalization.CultureInfo.InvariantCulture)));
            Assert.Contains("confirmed,,,34", lines);
            Assert.Contains("signups_total,,,40", lines);
            Assert.Contains("source,,wx36kr,13", lines);
            Assert.Contains(lines, l => l.StartsWith("marker,", StringComparison.Ordinal) && l.EndsWith(",start,", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_series_trend_has_its_two_sessions_in_time_order_in_CSV_and_PNG()
    {
        var csv = TempFile("csv");
        var png = TempFile("png");
        try
        {
            var environment = await DatabaseAsync();
            var table = await BaomingProcess.RunAsync($"stats --series xuantihui --output {csv}", "", environment);
            var chart = await BaomingProcess.RunAsync($"stats --series xuantihui --output {png}", "", environment);

            Assert.True(table.ExitCode == 0, table.Error);
            Assert.True(chart.ExitCode == 0, chart.Error);
            Assert.Equal("", table.Output + chart.Output);
            Assert.Equal(["auto,25", "metaverse,40"], CsvLines(csv).Where(l => l.StartsWith("signups,", StringComparison.Ordinal)).Select(l => string.Join(',', l.Split(',')[2..])));
            Assert.Contains("sessions,,,2", CsvLines(csv));
            using var bitmap = SkiaSharp.SKBitmap.Decode(png);
            Assert.Equal((1200, 700), (bitmap.Width, bitmap.Height));
        }
        finally
        {
            File.Delete(csv);
            File.Delete(png);
        }
    }

    [Theory]
    [InlineData("stats --output x.png")]
    [InlineData("stats --session metaverse --series xuantihui --output x.png")]
    [InlineData("stats --session metaverse --output x.pdf")]
    [InlineData("stats --session metaverse")]
    [InlineData("stats --series --output x.png")]
    public async Task Wrong_arguments_exit_2_with_nothing_on_standard_output(string arguments)
    {
        var result = await BaomingProcess.RunAsync(arguments, "", new Dictionary<string, string?>());

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Output);
        Assert.NotEqual("", result.Error.Trim());
    }

    [Theory]
    [InlineData("--session nosuch", "no session has the key 'nosuch'")]
    [InlineData("--series nosuch", "no series has the key 'nosuch'")]
    [InlineData("--session xuantihui", "no session has the key 'xuantihui'")]
    public async Task An_unknown_key_exits_2_with_one_message(string key, string message)
    {
        var file = TempFile("png");
        var result = await BaomingProcess.RunAsync($"stats {key} --output {file}", "", await DatabaseAsync());

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Output);
        Assert.Contains(message, result.Error);
        Assert.False(File.Exists(file));
    }
}

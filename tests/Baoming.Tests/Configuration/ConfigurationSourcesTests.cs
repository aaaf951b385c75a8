using System.Globalization;
using Baoming.Community;
using Baoming.Hosting;
using Baoming.Reminders;
using Baoming.Sessions;
using Baoming.Shell;
using Baoming.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Baoming.Tests.Configuration;

/// <summary>
/// <c>Sessions</c> and list-valued settings come from one source: an operator's file is never merged
/// by index with the sample (which used to be the built-in default) or with any other source.
/// </summary>
public sealed class ConfigurationSourcesTests
{
    /// <summary>An operator's file with one session (no capacity, no aliases) and one reminder offset.</summary>
    private static async Task<string> OperatorFileAsync()
    {
        var file = Path.Combine(Path.GetTempPath(), $"baoming-config-{Guid.NewGuid():N}.json");
        var startsAt = DateTimeOffset.UtcNow.AddDays(20).ToString("O", CultureInfo.InvariantCulture);
        await File.WriteAllTextAsync(file, $$"""
            {
              "Sessions": [
                { "Key": "ai", "Title": "人工智能的话题交流", "StartsAt": "{{startsAt}}" }
              ],
              "Reminders": { "Offsets": [ "02:00:00" ] }
            }
            """);
        return file;
    }

    [Fact]
    public async Task An_operator_file_with_one_session_gives_exactly_that_session_and_nothing_of_the_sample()
    {
        var file = await OperatorFileAsync();
        var database = await TestPostgres.CreateDatabaseAsync();
        try
        {
            var result = await BaomingProcess.RunAsync("sessions list", "", new Dictionary<string, string?>
            {
                ["BAOMING_CONFIG"] = file,
                ["ConnectionStrings__Postgres"] = database,
            });

            Assert.True(result.ExitCode == 0, result.Error);
            // Standard output is the table alone (a script reads it); the migrations' log lines are on stderr.
            var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.StartsWith("key\t", lines[0], StringComparison.Ordinal);
            var rows = lines.Skip(1).ToList();
            Assert.True(rows.Count == 1, result.Output);
            var row = rows[0];
            var columns = row.Split('\t');
            Assert.Equal("ai", columns[0]);
            Assert.Equal("unlimited", columns[4]);
            await using var connection = new NpgsqlConnection(database);
            Assert.Empty(await connection.ExecuteScalarAsync<string[]>("select aliases from sessions where key = 'ai'") ?? []);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task The_bot_with_an_operator_file_reminds_at_its_offsets_only_and_knows_no_sample_alias()
    {
        var file = await OperatorFileAsync();
        try
        {
            await using var bot = await BotHarness.StartAsync(configFile: file, realTime: true);
            var id = await bot.SessionIdAsync("ai");

            var offsets = await bot.QueryAsync<long>("""select extract(epoch from "offset")::bigint from reminder_slots where session_id = @id""", new { id });
            Assert.Equal([7200L], offsets);
            Assert.Equal(1L, await bot.ScalarAsync<long>("select count(*) from sessions"));

            var reply = await bot.AskAsync(1, "报名 车");
            Assert.DoesNotContain("报名成功", reply.Text, StringComparison.Ordinal);
            Assert.Equal(0L, await bot.ScalarAsync<long>("select count(*) from registrations"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void The_highest_source_that_sets_a_list_gives_all_of_it()
    {
        var file = Path.Combine(Path.GetTempPath(), $"baoming-config-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, """
            {
              "Sessions": [
                { "Key": "one", "Title": "一", "StartsAt": "2027-03-01T19:30:00+08:00", "Capacity": 9, "Aliases": [ "甲", "乙" ] },
                { "Key": "two", "Title": "二", "StartsAt": "2027-03-08T19:30:00+08:00" }
              ],
              "Reminders": { "Offsets": [ "1.00:00:00", "01:00:00", "00:10:00" ] },
              "Community": { "Organizers": [ 1, 2, 3 ] }
            }
            """);
        try
        {
            var configuration = BaomingHost.CreateBuilder(new Dictionary<string, string?>
            {
                ["Sessions:0:Key"] = "three",
                ["Sessions:0:Title"] = "三",
                ["Sessions:0:StartsAt"] = "2027-03-15T19:30:00+08:00",
                ["Reminders:Offsets:0"] = "00:30:00",
            }, configFile: file).Configuration;

            var sessions = new SessionCatalogOptions();
            configuration.GetSection("Sessions").Bind(sessions.Sessions);
            var session = Assert.Single(sessions.Sessions);
            Assert.Equal("three", session.Key);
            Assert.Equal(0, session.Capacity);
            Assert.Empty(session.Aliases);
            Assert.Equal([TimeSpan.FromMinutes(30)], configuration.GetSection("Reminders").Get<RemindersOptions>()!.Offsets);
            // Lists the overrides leave alone still come, whole, from the file.
            Assert.Equal([1L, 2L, 3L], configuration.GetSection("Community").Get<CommunityOptions>()!.Organizers);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Nothing_built_in_configures_sessions_or_reminder_offsets()
    {
        var configuration = BaomingHost.CreateBuilder().Configuration;

        Assert.False(ListSettings.IsSet(configuration, "Sessions"));
        Assert.False(ListSettings.IsSet(configuration, "Reminders:Offsets"));
        Assert.Equal([TimeSpan.FromDays(1), TimeSpan.FromHours(1)], new RemindersOptions().EffectiveOffsets);
    }

    [Fact]
    public void The_sample_is_a_valid_configuration_for_whoever_copies_it()
    {
        var sample = Path.Combine(AppContext.BaseDirectory, ExampleSessions.SampleFileName);
        var builder = BaomingHost.CreateBuilder(new Dictionary<string, string?> { ["Telegram:BotToken"] = "123:abc" }, configFile: sample);
        builder.Services.AddBaoming(builder.Configuration, "Host=127.0.0.1;Database=unused");
        using var host = builder.Build();

        host.Services.GetRequiredService<IStartupValidator>().Validate();
        var sessions = host.Services.GetRequiredService<IOptions<SessionCatalogOptions>>().Value.Sessions;
        Assert.Equal(["auto", "metaverse"], sessions.Select(s => s.Key));
    }
}

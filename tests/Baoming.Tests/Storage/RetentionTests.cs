using Baoming.Hosting;
using Baoming.Storage;
using Baoming.Tests.Infrastructure;
using Hangfire;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Baoming.Tests.Storage;

/// <summary>The daily retention job deletes what each table keeps no longer than its setting, and nothing else (issue 16 item 7).</summary>
public sealed class RetentionTests
{
    [Fact]
    public async Task Each_table_loses_its_rows_older_than_its_setting_and_keeps_the_rest()
    {
        // Arrange
        await using var bot = await BotHarness.StartAsync();
        await bot.ScalarAsync<int>("""
            insert into inbox (update_id, chat_id, payload, received_at, processed_at) values
                (1, 1, '{}', now() - interval '9 days', now() - interval '9 days'),
                (2, 1, '{}', now() - interval '8 days', now() - interval '8 days'),
                (3, 1, '{}', now() - interval '2 days', now() - interval '2 days'),
                (4, 1, '{}', now() - interval '9 days', null);
            insert into deliveries (topic, member_id, state, updated_at) values
                ('test:done-long-ago', 1, 'sent', now() - interval '100 days'),
                ('test:done-long-ago', 2, 'blocked', now() - interval '100 days'),
                ('test:done-long-ago', 3, 'failed', now() - interval '95 days'),
                ('test:done-long-ago', 4, 'unknown', now() - interval '91 days'),
                ('test:done-lately', 1, 'sent', now() - interval '10 days'),
                ('test:in-progress', 1, 'sent', now() - interval '100 days'),
                ('test:in-progress', 2, 'pending', now() - interval '100 days'),
                ('test:in-flight', 1, 'sent', now() - interval '100 days'),
                ('test:in-flight', 2, 'sending', now() - interval '100 days');
            insert into audit_log (actor_id, action, at) values
                (1, 'test.long-ago', now() - interval '400 days'),
                (1, 'test.lately', now() - interval '300 days');
            insert into dialogs (member_id, kind, updated_at) values
                (1, 'test.long-ago', now() - interval '2 days'),
                (2, 'test.lately', now() - interval '30 minutes');
            insert into notes (member_id, text, created_at, answered_at, answered_by, answer) values
                (1, 'answered long ago', now() - interval '400 days', now() - interval '399 days', 9001, 'ok'),
                (1, 'answered lately', now() - interval '300 days', now() - interval '299 days', 9001, 'ok'),
                (1, 'never answered', now() - interval '400 days', null, null, null);
            select 1
            """);

        // Act
        await bot.Host.Services.GetRequiredService<RetentionJob>().RunAsync(CancellationToken.None);

        // Assert
        Assert.Equal([3L, 4L], await bot.QueryAsync<long>("select update_id from inbox where update_id < 100 order by update_id"));
        Assert.Equal(
            ["test:done-lately 1", "test:in-flight 1", "test:in-flight 2", "test:in-progress 1", "test:in-progress 2"],
            await bot.QueryAsync<string>("select topic || ' ' || member_id from deliveries where topic like 'test:%' order by 1"));
        Assert.Equal(["test.lately"], await bot.QueryAsync<string>("select action from audit_log where action like 'test.%'"));
        Assert.Equal(["test.lately"], await bot.QueryAsync<string>("select kind from dialogs where kind like 'test.%'"));
        // A note is kept until answered, then a year: readers' own words are not kept for ever.
        Assert.Equal(["answered lately", "never answered"], await bot.QueryAsync<string>("select text from notes order by text"));
    }

    [Fact]
    public async Task The_settings_say_how_long_each_table_keeps_its_rows_and_the_job_is_planted_daily_under_its_id()
    {
        // Arrange: a day-count for one, a time span for another, as an operator may write them.
        await using var bot = await BotHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Retention:Inbox"] = "1",
            ["Retention:Deliveries"] = "30",
            ["Retention:AuditLog"] = "10.00:00:00",
            ["Retention:Dialogs"] = "02:00:00",
        });
        await bot.ScalarAsync<int>("""
            insert into inbox (update_id, chat_id, payload, received_at, processed_at) values
                (1, 1, '{}', now() - interval '2 days', now() - interval '2 days'),
                (2, 1, '{}', now() - interval '1 hour', now() - interval '1 hour');
            insert into deliveries (topic, member_id, state, updated_at) values
                ('test:a-month-ago', 1, 'sent', now() - interval '31 days'),
                ('test:a-fortnight-ago', 1, 'sent', now() - interval '14 days');
            insert into audit_log (actor_id, action, at) values
                (1, 'test.long-ago', now() - interval '11 days'),
                (1, 'test.lately', now() - interval '9 days');
            insert into dialogs (member_id, kind, updated_at) values
                (1, 'test.long-ago', now() - interval '3 hours'),
                (2, 'test.lately', now() - interval '90 minutes');
            select 1
            """);

        // The job's id from when it cleaned the inbox alone, as a database of before the change holds it.
        bot.Host.Services.GetRequiredService<IRecurringJobManager>()
            .AddOrUpdate<RetentionJob>(RetentionJob.FormerRecurringId, job => job.RunAsync(CancellationToken.None), Cron.Daily(4));

        // Act: the schedule is planted again (as at the next start), and the job runs.
        var schedule = bot.Host.Services.GetServices<IHostedService>().Single(s => s.GetType().Name == "RetentionSchedule");
        await schedule.StartAsync(CancellationToken.None);
        await bot.Host.Services.GetRequiredService<RetentionJob>().RunAsync(CancellationToken.None);

        // Assert
        Assert.Equal([2L], await bot.QueryAsync<long>("select update_id from inbox where update_id < 100 order by update_id"));
        Assert.Equal(["test:a-fortnight-ago"], await bot.QueryAsync<string>("select topic from deliveries where topic like 'test:%'"));
        Assert.Equal(["test.lately"], await bot.QueryAsync<string>("select action from audit_log where action like 'test.%'"));
        Assert.Equal(["test.lately"], await bot.QueryAsync<string>("select kind from dialogs where kind like 'test.%'"));
        Assert.Equal(1, await bot.ScalarAsync<long>("select count(*) from hangfire.set where key = 'recurring-jobs' and value = @RecurringId", new { RetentionJob.RecurringId }));
        Assert.Equal(0, await bot.ScalarAsync<long>("select count(*) from hangfire.set where key = 'recurring-jobs' and value = @FormerRecurringId", new { RetentionJob.FormerRecurringId }));
    }

    [Fact]
    public async Task More_than_a_batch_of_old_rows_is_deleted_in_one_run()
    {
        // Arrange
        await using var bot = await BotHarness.StartAsync();
        await bot.ScalarAsync<int>("""
            insert into audit_log (actor_id, action, at)
            select 1, 'test.long-ago', now() - interval '400 days' from generate_series(1, 2500);
            select 1
            """);

        // Act
        await bot.Host.Services.GetRequiredService<RetentionJob>().RunAsync(CancellationToken.None);

        // Assert
        Assert.Equal(0, await bot.ScalarAsync<long>("select count(*) from audit_log where action = 'test.long-ago'"));
    }

    [Theory]
    [InlineData("Retention:Inbox", "0", "Retention:Inbox must be between 1 hour and 3650 days")]
    [InlineData("Retention:Deliveries", "1", "Retention:Deliveries must be between 7 days and 3650 days")]
    [InlineData("Retention:AuditLog", "4000", "Retention:AuditLog must be between 1 day and 3650 days")]
    [InlineData("Retention:Dialogs", "00:10:00", "Retention:Dialogs must be between 1 hour and 3650 days")]
    [InlineData("Retention:Notes", "3", "Retention:Notes must be between 7 days and 3650 days")]
    public void A_setting_out_of_range_stops_start_up_naming_the_key(string key, string value, string expected)
    {
        using var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build())
            .AddStorage("Host=127.0.0.1;Port=1")
            .BuildServiceProvider();

        var refused = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<RetentionOptions>>().Value);

        Assert.Contains(expected, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_defaults_are_a_week_of_updates_ninety_days_of_ledger_a_year_of_audit_and_a_day_of_dialogues()
    {
        using var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().Build())
            .AddStorage("Host=127.0.0.1;Port=1")
            .BuildServiceProvider();

        var retention = services.GetRequiredService<IOptions<RetentionOptions>>().Value;

        Assert.Equal(
            (TimeSpan.FromDays(7), TimeSpan.FromDays(90), TimeSpan.FromDays(365), TimeSpan.FromDays(1)),
            (retention.Inbox, retention.Deliveries, retention.AuditLog, retention.Dialogs));
    }

    [Fact]
    public void A_misspelt_retention_key_is_refused_naming_the_known_one()
    {
        var problems = UnknownSettings.Find(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Retention:AuditLogs"] = "30" }).Build());

        Assert.Equal(["Unknown setting Retention:AuditLogs — did you mean Retention:AuditLog?"], problems);
    }
}

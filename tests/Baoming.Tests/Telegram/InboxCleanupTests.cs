using Baoming.Telegram.Intake;
using Baoming.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Baoming.Tests.Telegram;

public sealed class InboxCleanupTests
{
    [Fact]
    public async Task Handled_updates_older_than_a_week_are_deleted_and_the_rest_kept()
    {
        await using var bot = await BotHarness.StartAsync();
        await bot.ScalarAsync<int>("""
            insert into inbox (update_id, chat_id, payload, received_at, processed_at) values
                (1, 1, '{}', now() - interval '9 days', now() - interval '9 days'),
                (2, 1, '{}', now() - interval '8 days', now() - interval '8 days'),
                (3, 1, '{}', now() - interval '2 days', now() - interval '2 days'),
                (4, 1, '{}', now() - interval '9 days', null)
            returning 1
            """);

        await bot.Host.Services.GetRequiredService<InboxCleanupJob>().RunAsync(CancellationToken.None);

        Assert.Equal([3L, 4L], await bot.QueryAsync<long>("select update_id from inbox where update_id < 100 order by update_id"));
        Assert.Equal(1, await bot.ScalarAsync<long>("select count(*) from hangfire.set where key = 'recurring-jobs' and value = @id", new { id = InboxCleanupJob.RecurringId }));
    }
}

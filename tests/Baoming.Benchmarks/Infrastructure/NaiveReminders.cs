using System.Diagnostics;
using Hangfire;
using Hangfire.PostgreSql;
using Npgsql;
using Telegram.Bot;
using Telegram.Bot.Types.ReplyMarkups;

namespace Baoming.Benchmarks.Infrastructure;

/// <summary>How the naive run went; the sends themselves are timed by the fake Bot API.</summary>
/// <param name="CreatedPerSecond">Delayed jobs created per second (8 threads).</param>
/// <param name="DueAt">When every job fell due (a Stopwatch timestamp).</param>
internal sealed record NaiveRun(double CreatedPerSecond, long DueAt);

/// <summary>
/// The baseline for the reminders scenario, kept out of the bot: a Hangfire server on PostgreSQL (its own database on
/// the benchmark's cluster, the bot's storage settings and worker count) in which every recipient is one delayed job
/// that sends one message through <see cref="TelegramBotClient"/> to the fake Bot API. All jobs are planted first
/// (as reminders are, ahead of time) and fall due together.
/// </summary>
internal static class NaiveReminders
{
    private const int CreatingThreads = 8;

    public static async Task<NaiveRun> RunAsync(string connectionString, LeanBotApi api, IReadOnlyList<long> chatIds, Func<int> sent, CancellationToken ct)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var storage = new PostgreSqlStorage(new DataSourceFactory(dataSource), new PostgreSqlStorageOptions
        {
            SchemaName = "hangfire",
            PrepareSchemaIfNecessary = true,
            UseSlidingInvisibilityTimeout = true,
            InvisibilityTimeout = TimeSpan.FromMinutes(2),
            EnableLongPolling = true,
            QueuePollInterval = TimeSpan.FromSeconds(1),
            DistributedLockTimeout = TimeSpan.FromMinutes(1),
        });
        var client = new BackgroundJobClient(storage);

        // Far enough ahead that no job is due while they are still being created.
        var plantAt = DateTimeOffset.UtcNow.AddHours(1);
        var creating = Stopwatch.StartNew();
        await Parallel.ForEachAsync(
            chatIds,
            new ParallelOptions { MaxDegreeOfParallelism = CreatingThreads, CancellationToken = ct },
            (chatId, _) =>
            {
                client.Schedule<NaiveReminderJob>(job => job.SendAsync(chatId, CancellationToken.None), plantAt);
                return ValueTask.CompletedTask;
            });
        var createdPerSecond = chatIds.Count / creating.Elapsed.TotalSeconds;
        BenchContext.Progress($"naive: {chatIds.Count} delayed jobs created in {creating.Elapsed.TotalSeconds:0.0} s ({createdPerSecond:0}/s)");

        // All fall due now: as if the reminder's time had come.
        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        await using (var command = new NpgsqlCommand("update hangfire.set set score = extract(epoch from now()) where key = 'schedule'", connection))
        {
            await command.ExecuteNonQueryAsync(ct);
        }

        var dueAt = Stopwatch.GetTimestamp();
        using var http = new HttpClient();
        var telegram = new TelegramBotClient(new TelegramBotClientOptions(LeanBotApi.Token, api.BaseUrl) { RetryThreshold = 0 }, http);
        using (var server = new BackgroundJobServer(
            new BackgroundJobServerOptions
            {
                WorkerCount = 8,
                SchedulePollingInterval = TimeSpan.FromSeconds(1),
                Activator = new SingleJobActivator(new NaiveReminderJob(telegram)),
                ShutdownTimeout = TimeSpan.FromSeconds(10),
            },
            storage))
        {
            var deadline = Stopwatch.StartNew();
            while (sent() < chatIds.Count)
            {
                if (deadline.Elapsed > TimeSpan.FromSeconds(60 + (chatIds.Count / 10)))
                {
                    throw new Scenarios.BenchmarkFailedException($"naive baseline: {sent()} of {chatIds.Count} sends after {deadline.Elapsed.TotalSeconds:0} s");
                }

                await Task.Delay(20, ct);
            }
        }

        return new NaiveRun(createdPerSecond, dueAt);
    }

    private sealed class DataSourceFactory(NpgsqlDataSource dataSource) : IConnectionFactory
    {
        public NpgsqlConnection GetOrCreateConnection() => dataSource.CreateConnection();
    }

    private sealed class SingleJobActivator(NaiveReminderJob job) : JobActivator
    {
        public override object ActivateJob(Type jobType) => jobType == typeof(NaiveReminderJob) ? job : base.ActivateJob(jobType);
    }
}

/// <summary>One recipient's reminder as one Hangfire job: the naive way.</summary>
internal sealed class NaiveReminderJob(ITelegramBotClient client)
{
    private static readonly InlineKeyboardMarkup Buttons = new(
    [
        [InlineKeyboardButton.WithCallbackData("我会参加", "rm:a:1"), InlineKeyboardButton.WithCallbackData("来不了了", "rm:c:1")],
        [InlineKeyboardButton.WithCallbackData("加入日历", "ics:1")],
    ]);

    [AutomaticRetry(Attempts = 0)]
    public async Task SendAsync(long chatId, CancellationToken cancellationToken) =>
        await client.SendMessage(chatId, "⏰ 提醒：「到底什么是元宇宙」30 秒后开始", replyMarkup: Buttons, cancellationToken: cancellationToken);
}

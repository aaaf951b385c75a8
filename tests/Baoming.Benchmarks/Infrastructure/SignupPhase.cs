using System.Diagnostics;
using Baoming.Benchmarks.Scenarios;
using Dapper;
using Npgsql;

namespace Baoming.Benchmarks.Infrastructure;

/// <summary>
/// A group of members with consecutive ids signing up for one session: most with "报名 元宇宙", a share with
/// "报名" and then the session's button. Each one's first update is offered once; a button member's press is
/// offered when the session list reaches them (the callback data is read from its keyboard).
/// </summary>
internal sealed class SignupPhase(IUpdateFeed updates, long firstId, int count, double buttonShare)
{
    /// <summary>How the bot's confirmation of a sign-up begins.</summary>
    private const string Confirmation = "✅";

    private readonly long[] offeredAt = new long[count];
    private readonly long[] updateIds = new long[count];
    private readonly long[] confirmedAt = new long[count];
    private readonly int[] confirmations = new int[count];
    private readonly int[] lists = new int[count];
    private int confirmed;
    private long lastConfirmation;

    public long FirstId => firstId;

    public int Count => count;

    public long SessionId { get; set; }

    /// <summary>How long a button member looks at the session list before pressing (default: not at all).</summary>
    public TimeSpan Think { get; init; }

    public long LastConfirmation => Interlocked.Read(ref lastConfirmation);

    public bool Owns(long chatId) => chatId >= firstId && chatId < firstId + count;

    /// <summary>Spread evenly: member i presses the button when i × share crosses a whole number.</summary>
    public bool UsesButton(int i) => Math.Floor((i + 1) * buttonShare) > Math.Floor(i * buttonShare);

    public void Offer(int i)
    {
        var id = firstId + i;
        offeredAt[i] = Stopwatch.GetTimestamp();
        updateIds[i] = updates.Offer(TextUpdate(id, UsesButton(i) ? "报名" : "报名 元宇宙"));
    }

    /// <summary>Accounts for a message the bot sent to one of these members; false when it was not expected.</summary>
    public bool Take(BotMessage message)
    {
        var i = (int)(message.ChatId - firstId);
        if (message.Text.StartsWith(Confirmation, StringComparison.Ordinal))
        {
            if (Interlocked.Increment(ref confirmations[i]) == 1)
            {
                confirmedAt[i] = message.At;
                Interlocked.Increment(ref confirmed);
                long last;
                while ((last = Interlocked.Read(ref lastConfirmation)) < message.At && Interlocked.CompareExchange(ref lastConfirmation, message.At, last) != last)
                {
                }

                return true;
            }

            return false;
        }

        var data = $"su:{SessionId}";
        if (UsesButton(i) && message.CallbackData.Contains(data) && Interlocked.Increment(ref lists[i]) == 1)
        {
            var press = CallbackUpdate(message.ChatId, data);
            if (Think > TimeSpan.Zero)
            {
                // Called on the fake's request thread: the press goes out later, on its own.
                _ = Task.Delay(Think).ContinueWith(_ => updates.Offer(press), TaskScheduler.Default);
            }
            else
            {
                updates.Offer(press);
            }

            return true;
        }

        return false;
    }

    /// <summary>Until every member is confirmed; fails when a bot exits, time runs out or a message nobody expected arrives.</summary>
    public async Task WaitAsync(IReadOnlyList<ChildProcess> bots, TimeSpan timeout, IReadOnlyCollection<BotMessage> strays, CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        while (Volatile.Read(ref confirmed) < count)
        {
            if (bots.Any(b => b.HasExited) || deadline.Elapsed > timeout || strays.Count > 0)
            {
                throw new BenchmarkFailedException(
                    $"{Volatile.Read(ref confirmed)} of {count} confirmations after {deadline.Elapsed.TotalSeconds:0} s ({strays.Count} unexpected messages{Example(strays)}, {updates.PendingUpdates} updates not yet taken by the bot); the bot's last lines:\n{Bot.Tails(bots)}");
            }

            await Task.Delay(5, ct);
        }
    }

    /// <summary>", e.g. to 1000000001: ✅ …" for the first of <paramref name="messages"/>, if any.</summary>
    public static string Example(IReadOnlyCollection<BotMessage> messages) =>
        messages.FirstOrDefault() is { } first ? $", e.g. to {first.ChatId}: {first.Text}" : "";

    /// <summary>Offer → confirmation, in ms, ascending.</summary>
    public double[] Latencies(bool? button = null) =>
        [.. Enumerable.Range(0, count).Where(i => button is null || UsesButton(i) == button).Select(i => BenchContext.Milliseconds(offeredAt[i], confirmedAt[i])).Order()];

    /// <summary>Typed sign-ups only: offer → taken by the bot (see <see cref="IUpdateFeed.DeliveredAt"/>), and taken → confirmation, in ms, ascending.</summary>
    public (double[] Pickup, double[] Handling) Split()
    {
        var typed = Enumerable.Range(0, count).Where(i => !UsesButton(i)).ToList();
        return (
            [.. typed.Select(i => BenchContext.Milliseconds(offeredAt[i], updates.DeliveredAt(updateIds[i]) ?? offeredAt[i])).Order()],
            [.. typed.Select(i => BenchContext.Milliseconds(updates.DeliveredAt(updateIds[i]) ?? offeredAt[i], confirmedAt[i])).Order()]);
    }

    public int ButtonCount => Enumerable.Range(0, count).Count(UsesButton);

    /// <summary>
    /// Exactly one confirmation per member at the fake, and exactly one registration per member in the database,
    /// confirmed: nothing lost, nothing twice.
    /// </summary>
    public async Task VerifyAsync(string connectionString, CancellationToken ct)
    {
        const string Sql = """
            select count(*) filter (where status = 'confirmed') as Confirmed, count(*) as "All"
              from registrations where session_id = @sessionId and member_id between @first and @last
            """;
        var duplicated = Enumerable.Range(0, count).Count(i => confirmations[i] > 1);
        var missing = Enumerable.Range(0, count).Count(i => confirmations[i] == 0);
        if (duplicated > 0 || missing > 0)
        {
            throw new BenchmarkFailedException($"Members {firstId}…: {missing} never confirmed, {duplicated} confirmed more than once.");
        }

        await using var connection = new NpgsqlConnection(connectionString);
        var (confirmed, all) = await connection.QuerySingleAsync<(long, long)>(new CommandDefinition(
            Sql, new { sessionId = SessionId, first = firstId, last = firstId + count - 1 }, cancellationToken: ct));
        if (confirmed != count || all != count)
        {
            throw new BenchmarkFailedException($"Expected exactly {count} confirmed registrations for members {firstId}…; found {confirmed} confirmed of {all}.");
        }
    }

    private static string TextUpdate(long userId, string text) =>
        $$$"""
        "message":{"message_id":1,"from":{"id":{{{userId}}},"is_bot":false,"first_name":"读者","language_code":"zh-hans"},"chat":{"id":{{{userId}}},"first_name":"读者","type":"private"},"date":{{{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}}},"text":"{{{text}}}"}}
        """;

    private static string CallbackUpdate(long userId, string data) =>
        $$$"""
        "callback_query":{"id":"{{{userId}}}","from":{"id":{{{userId}}},"is_bot":false,"first_name":"读者","language_code":"zh-hans"},"message":{"message_id":2,"from":{"id":{{{LeanBotApi.BotId}}},"is_bot":true,"first_name":"报名助手","username":"{{{LeanBotApi.BotUsername}}}"},"chat":{"id":{{{userId}}},"first_name":"读者","type":"private"},"date":{{{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}}},"text":"…"},"chat_instance":"-{{{userId}}}","data":"{{{data}}}"}}
        """;
}

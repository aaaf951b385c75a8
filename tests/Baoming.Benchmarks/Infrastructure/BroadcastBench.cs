using System.Diagnostics;
using System.Globalization;
using Baoming.Benchmarks.Scenarios;

namespace Baoming.Benchmarks.Infrastructure;

/// <summary>
/// What the broadcast scenarios share: the bot's settings, registrants in configured sessions, waiting for the
/// fan-out, and the ledger check. The organizer's side of the chat is <see cref="Organizer"/>.
/// </summary>
internal static class BroadcastBench
{
    /// <summary>Telegram:MaxMessagesPerSecond: paid-broadcast speed.</summary>
    public const int Limit = 1000;

    public const string Text = "基准群发：今晚见！";

    /// <summary>The configured session the <paramref name="index"/>-th audience signs up for.</summary>
    public static string SessionKey(int index) => $"bcastbench{index + 1}";

    /// <summary>
    /// <see cref="Bot.Environment"/> plus the limit, the organizer, and <paramref name="sessions"/> configured sessions
    /// (<see cref="SessionKey"/>) starting in three days.
    /// </summary>
    public static Dictionary<string, string?> Environment(LeanBotApi api, string connectionString, int sessions)
    {
        var environment = Bot.Environment(api, connectionString);
        environment["Telegram__MaxMessagesPerSecond"] = Limit.ToString(CultureInfo.InvariantCulture);
        environment["Community__Organizers__0"] = Organizer.Id.ToString(CultureInfo.InvariantCulture);
        var startsAt = DateTimeOffset.UtcNow.AddDays(3).ToString("yyyy-MM-ddTHH:mm:00zzz", CultureInfo.InvariantCulture);
        for (var i = 0; i < sessions; i++)
        {
            // After the two sessions Bot.Environment configures.
            environment[$"Sessions__{2 + i}__Key"] = SessionKey(i);
            environment[$"Sessions__{2 + i}__Title"] = $"群发基准 {i + 1}";
            environment[$"Sessions__{2 + i}__StartsAt"] = startsAt;
        }

        return environment;
    }

    /// <summary>
    /// Schema and sessions from the bot (<c>migrate</c>), then <paramref name="registrants"/> confirmed registrants split
    /// evenly over the sessions, with consecutive ids from <see cref="BenchDatabase.FirstChatId"/>; returns the sessions' ids.
    /// </summary>
    public static async Task<IReadOnlyList<long>> PrepareAsync(
        BenchContext context, IReadOnlyDictionary<string, string?> environment, string connectionString, int registrants, int sessions, CancellationToken ct)
    {
        await Bot.MigrateAsync(context, environment, ct);
        var ids = new List<long>();
        var each = registrants / sessions;
        for (var i = 0; i < sessions; i++)
        {
            await BenchDatabase.SeedRegistrantsAsync(connectionString, SessionKey(i), BenchDatabase.FirstChatId + (i * each), each, ct);
            ids.Add(await BenchDatabase.ScalarAsync<long>(connectionString, $"select id from sessions where key = '{SessionKey(i)}'", ct));
        }

        return ids;
    }

    /// <summary>Until every registrant got a message; fails when a bot exits, a message goes elsewhere or the fan-out is far too slow.</summary>
    public static async Task WaitForAllAsync(Received received, IReadOnlyList<ChildProcess> bots, CancellationToken ct)
    {
        var timeout = TimeSpan.FromSeconds(60 + (2.0 * received.Count / Limit));
        var waited = Stopwatch.StartNew();
        while (received.Distinct < received.Count)
        {
            if (bots.Any(b => b.HasExited) || waited.Elapsed > timeout || received.Strays > 0)
            {
                throw new BenchmarkFailedException($"{received.Distinct} of {received.Count} received ({received.Strays} unexpected); the bot's last lines:\n{Bot.Tails(bots)}");
            }

            await Task.Delay(20, ct);
        }
    }

    /// <summary>
    /// The organizer's dialogue made exactly <paramref name="broadcasts"/> broadcasts, all done, and the ledger holds
    /// exactly one 'sent' row per recipient over all of them.
    /// </summary>
    public static async Task VerifyAsync(string connectionString, int registrants, int broadcasts, CancellationToken ct)
    {
        var made = await BenchDatabase.ScalarAsync<long>(connectionString, "select count(*) from broadcasts", ct);
        var done = await BenchDatabase.ScalarAsync<long>(connectionString, "select count(*) from broadcasts where state = 'done'", ct);
        if (made != broadcasts || done != broadcasts)
        {
            throw new BenchmarkFailedException($"Expected {broadcasts} broadcasts, all done; found {made}, {done} done.");
        }

        await BenchDatabase.VerifyLedgerAsync(connectionString, "broadcast", registrants, ct);
    }
}

using Baoming.Telegram.Intake;
using Baoming.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Baoming.Tests.Telegram;

/// <summary>Chat turns as two instances see them: each with its own <see cref="ChatTurns"/> on one database.</summary>
public sealed class ChatTurnTests
{
    [Fact]
    public async Task Two_chats_whose_ids_differ_only_above_32_bits_take_their_turns_independently()
    {
        await using var bot = await BotHarness.StartAsync();
        await using var data = NpgsqlDataSource.Create(bot.ConnectionString);
        await using var one = new ChatTurns(data, NullLogger<ChatTurns>.Instance);
        await using var other = new ChatTurns(data, NullLogger<ChatTurns>.Instance);
        // These two folded into one 32-bit key before (5 ^ 0 == 4 ^ 1).
        const long Chat = 5;
        const long Lookalike = (1L << 32) | 4;

        var first = await one.TryBeginAsync(Chat, CancellationToken.None);
        var second = await other.TryBeginAsync(Lookalike, CancellationToken.None);

        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.Null(await other.TryBeginAsync(Chat, CancellationToken.None));
    }

    [Fact]
    public async Task A_turn_whose_read_fails_after_the_lock_gives_the_chat_back()
    {
        await using var bot = await BotHarness.StartAsync();
        await using var data = NpgsqlDataSource.Create(bot.ConnectionString);
        await using var failing = new ChatTurns(data, NullLogger<ChatTurns>.Instance);
        await using var other = new ChatTurns(data, NullLogger<ChatTurns>.Instance);
        const long Chat = 4242;
        // The lock statement succeeds, the read after it fails (the inbox is gone for a moment).
        await bot.ScalarAsync<int>("alter table inbox rename to inbox_away; select 1");
        try
        {
            await Assert.ThrowsAsync<PostgresException>(() => failing.TryBeginAsync(Chat, CancellationToken.None));
        }
        finally
        {
            await bot.ScalarAsync<int>("alter table inbox_away rename to inbox; select 1");
        }

        Assert.NotNull(await other.TryBeginAsync(Chat, CancellationToken.None));
    }
}

using System.Text.Json;
using Baoming.Chat;
using Baoming.Tests.Infrastructure;
using Npgsql;

namespace Baoming.Tests.ChatTurnDialogues;

/// <summary>
/// A chat turn reads its member's dialogue once, after its lock, and the turn's lookups are answered from that
/// (<see cref="DialogueStore.BeginTurn"/>): no round trip per text. Rows changed behind the store's back stand in
/// for "nobody else can change it during the turn", which is what makes the answer correct; they show which
/// lookups read the table and which do not.
/// </summary>
public sealed class DialogueTurnTests
{
    private const long Member = 770_001;

    [Fact]
    public async Task Within_a_turn_a_lookup_is_answered_from_what_the_turn_read_after_its_lock()
    {
        await using var bot = await BotHarness.StartAsync();
        await using var data = NpgsqlDataSource.Create(bot.ConnectionString);
        var store = new DialogueStore(data);
        await store.OpenAsync(Member, "test.kind", new { s = 7 }, CancellationToken.None);

        var read = await ReadTurnAsync(data, Member);
        store.BeginTurn(Member, read);
        await bot.ScalarAsync<int>("delete from dialogs where member_id = @Member; select 1", new { Member });
        var inTurn = await store.FindAsync(Member, CancellationToken.None);
        store.EndTurn(Member);
        var afterTurn = await store.FindAsync(Member, CancellationToken.None);

        Assert.Equal("test.kind", read.Open?.Kind);
        Assert.InRange(read.Remaining, TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));
        Assert.Equal("test.kind", inTurn?.Kind);
        Assert.Equal(7, inTurn?.State.GetProperty("s").GetInt32());
        Assert.Null(afterTurn);
    }

    [Fact]
    public async Task An_open_or_a_close_during_a_turn_makes_the_next_lookup_read_the_table()
    {
        await using var bot = await BotHarness.StartAsync();
        await using var data = NpgsqlDataSource.Create(bot.ConnectionString);
        var store = new DialogueStore(data);
        var read = await ReadTurnAsync(data, Member);
        store.BeginTurn(Member, read);

        await InsertBehindTheStoreAsync(bot, "not.seen");
        var none = await store.FindAsync(Member, CancellationToken.None);
        await store.OpenAsync(Member, "test.opened", new { s = 1 }, CancellationToken.None);
        var opened = await store.FindAsync(Member, CancellationToken.None);
        await store.CloseAsync(Member, CancellationToken.None);
        var closed = await store.FindAsync(Member, CancellationToken.None);
        await InsertBehindTheStoreAsync(bot, "read.again");
        var reread = await store.FindAsync(Member, CancellationToken.None);
        store.EndTurn(Member);

        Assert.Null(read.Open);
        Assert.Null(none);
        Assert.Equal("test.opened", opened?.Kind);
        Assert.Equal(JsonValueKind.Object, opened?.State.ValueKind);
        Assert.Null(closed);
        Assert.Equal("read.again", reread?.Kind);
    }

    [Fact]
    public async Task A_dialogue_that_expires_during_the_turn_is_gone_and_other_members_are_read_from_the_table()
    {
        await using var bot = await BotHarness.StartAsync();
        await using var data = NpgsqlDataSource.Create(bot.ConnectionString);
        var store = new DialogueStore(data);
        var expiring = new TurnDialogue(new Dialogue(Member, "test.old", JsonDocument.Parse("{}").RootElement), TimeSpan.Zero);
        await store.OpenAsync(Member + 1, "test.other", new { }, CancellationToken.None);

        store.BeginTurn(Member, expiring);
        var expired = await store.FindAsync(Member, CancellationToken.None);
        var other = await store.FindAsync(Member + 1, CancellationToken.None);
        store.EndTurn(Member);

        Assert.Null(expired);
        Assert.Equal("test.other", other?.Kind);
    }

    /// <summary>What a chat turn's opening round trip reads, as <c>ChatTurns</c> runs it.</summary>
    private static async Task<TurnDialogue> ReadTurnAsync(NpgsqlDataSource data, long chatId)
    {
        await using var connection = await data.OpenConnectionAsync();
        await using var batch = new NpgsqlBatch(connection) { BatchCommands = { DialogueStore.TurnCommand(chatId) } };
        await using var reader = await batch.ExecuteReaderAsync();
        return await DialogueStore.ReadTurnAsync(chatId, reader, CancellationToken.None);
    }

    private static Task<int> InsertBehindTheStoreAsync(BotHarness bot, string kind) =>
        bot.ScalarAsync<int>(
            "insert into dialogs (member_id, kind, state) values (@Member, @kind, '{}') on conflict (member_id) do update set kind = excluded.kind, updated_at = now(); select 1",
            new { Member, kind });
}

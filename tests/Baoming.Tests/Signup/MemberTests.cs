using Baoming.Tests.Fakes;
using Baoming.Tests.Infrastructure;

namespace Baoming.Tests.Signup;

/// <summary>Who becomes a member (the "everyone" a broadcast may reach), and when a member is reachable.</summary>
public sealed class MemberTests : IAsyncLifetime
{
    private const long Reader = 5001;
    private const long GroupOnly = 5002;
    private BotHarness bot = null!;

    public async Task InitializeAsync() => bot = await BotHarness.StartAsync();

    public async Task DisposeAsync() => await bot.DisposeAsync();

    [Fact]
    public async Task Someone_who_only_wrote_in_a_group_is_not_a_member()
    {
        bot.Telegram.EnqueueUpdate(FakeBotApi.TextUpdate(GroupOnly, "/signup", chatType: "group"));

        var reply = await bot.Telegram.WaitForMessageAsync(-GroupOnly);
        await bot.WaitUntilIdleAsync();

        Assert.Contains("私聊", reply.Text);
        Assert.Equal(0, await bot.ScalarAsync<long>("select count(*) from members where id = @GroupOnly", new { GroupOnly }));
    }

    [Fact]
    public async Task A_member_who_unblocks_the_bot_is_reachable_again()
    {
        await bot.AskAsync(Reader, "报名");
        bot.Telegram.EnqueueUpdate(FakeBotApi.MyChatMemberUpdate(Reader, "member", "kicked"));
        await bot.WaitUntilIdleAsync();
        Assert.True(await IsUnreachableAsync());

        bot.Telegram.EnqueueUpdate(FakeBotApi.MyChatMemberUpdate(Reader, "kicked", "member"));
        await bot.WaitUntilIdleAsync();

        Assert.False(await IsUnreachableAsync());
    }

    private Task<bool> IsUnreachableAsync() =>
        bot.ScalarAsync<bool>("select unreachable_at is not null from members where id = @Reader", new { Reader });
}

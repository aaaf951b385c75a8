using Baoming.Tests.Infrastructure;

namespace Baoming.Tests.Signup;

/// <summary>Issue 15 end to end: phrasings from the corpus through the real bot and database.</summary>
public sealed class PhrasingTests : IAsyncLifetime
{
    private const long Reader = 5101;
    private BotHarness bot = null!;

    public async Task InitializeAsync() => bot = await BotHarness.StartAsync();

    public async Task DisposeAsync() => await bot.DisposeAsync();

    private Task<IReadOnlyList<string>> SignedUpAsync() => bot.QueryAsync<string>(
        "select s.key from registrations r join sessions s on s.id = r.session_id where r.member_id = @Reader and r.status <> 'cancelled'", new { Reader });

    [Theory]
    [InlineData("元宇宙那场报名", "metaverse")]
    [InlineData("麻烦帮我报个名，2月17日那場", "metaverse")]
    [InlineData("我想參加汽車那場", "auto")]
    public async Task I_can_sign_up_naming_the_session_first_or_with_other_verbs(string text, string key)
    {
        var reply = await bot.AskAsync(Reader, text);

        Assert.Contains("报名成功", reply.Text);
        Assert.Equal([key], await SignedUpAsync());
    }

    [Theory]
    [InlineData("元宇宙那场怎么报名？")]
    [InlineData("元宇宙还能报名吗")]
    [InlineData("元宇宙报名的人多吗")]
    public async Task A_question_naming_a_session_offers_its_button_and_signs_up_nobody(string text)
    {
        var reply = await bot.AskAsync(Reader, text);

        Assert.StartsWith("要报名「到底什么是\"元宇宙\"」", reply.Text);
        Assert.Contains("到底什么是\"元宇宙\"", Assert.Single(reply.Buttons()).Text);
        Assert.Empty(await SignedUpAsync());

        var pressed = await bot.PressAsync(Reader, reply.Buttons()[0].CallbackData!);
        Assert.Contains("报名成功", pressed.Text);
        Assert.Equal(["metaverse"], await SignedUpAsync());
    }

    [Fact]
    public async Task A_question_about_cancelling_offers_the_cancel_button_and_cancels_nothing()
    {
        await bot.AskAsync(Reader, "报名 元宇宙");

        var reply = await bot.AskAsync(Reader, "元宇宙能取消吗？");

        Assert.StartsWith("要取消「到底什么是\"元宇宙\"」", reply.Text);
        Assert.Equal(["metaverse"], await SignedUpAsync());
    }
}

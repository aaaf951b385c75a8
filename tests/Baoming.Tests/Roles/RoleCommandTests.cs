using Baoming.Tests.Fakes;
using Baoming.Tests.Infrastructure;

namespace Baoming.Tests.Roles;

/// <summary>/grant, /revoke and /whoami in chat, end to end.</summary>
public sealed class RoleCommandTests : IAsyncLifetime
{
    private const long Admin = 8001;
    private const long Bob = 5002;
    private BotHarness bot = null!;

    public async Task InitializeAsync()
    {
        bot = await BotHarness.StartAsync(new Dictionary<string, string?> { ["Community:Admins:0"] = "8001" });
        // Bob writes first, so the bot knows his @username.
        bot.Telegram.EnqueueUpdate(FakeBotApi.TextUpdate(Bob, "你好", username: "Bob_Writes"));
        await bot.Telegram.WaitForMessageAsync(Bob);
    }

    public async Task DisposeAsync() => await bot.DisposeAsync();

    /// <summary>Bob says something; every update carries his @username, as Telegram's do.</summary>
    private async Task<SentMessage> BobAsksAsync(string text, string language = "zh-hans")
    {
        var before = bot.Telegram.MessagesTo(Bob).Count;
        bot.Telegram.EnqueueUpdate(FakeBotApi.TextUpdate(Bob, text, languageCode: language, username: "Bob_Writes"));
        return (await bot.Telegram.WaitForMessagesAsync(Bob, before + 1))[before];
    }

    private async Task<bool> BobCanExportAsync() => (await BobAsksAsync("/export")).Buttons().Count > 0;

    [Fact]
    public async Task Granting_organizer_does_not_allow_exports_but_granting_admin_does_and_revoking_removes_it()
    {
        Assert.False(await BobCanExportAsync());

        var organizer = await bot.AskAsync(Admin, "/grant organizer @bob_writes");
        Assert.Contains("组织者", organizer.Text);
        Assert.False(await BobCanExportAsync());

        var admin = await bot.AskAsync(Admin, "/grant admin 5002");
        Assert.Contains("管理员", admin.Text);
        Assert.True(await BobCanExportAsync());

        var revoked = await bot.AskAsync(Admin, "/revoke @Bob_Writes");
        Assert.Contains("已收回", revoked.Text);
        Assert.False(await BobCanExportAsync());

        var audit = await bot.QueryAsync<string>("select action || ':' || (details->>'role') from audit_log where actor_id = @Admin order by id", new { Admin });
        Assert.Equal(["grant:organizer", "grant:admin", "revoke:admin"], audit);
    }

    [Fact]
    public async Task Whoami_shows_my_own_id_and_role()
    {
        var reader = await BobAsksAsync("/whoami", language: "en");
        var admin = await bot.AskAsync(Admin, "/whoami");

        Assert.Contains("ID: 5002", reader.Text);
        Assert.Contains("@Bob_Writes", reader.Text);
        Assert.Contains("Role: reader", reader.Text);
        Assert.Contains("角色：管理员", admin.Text);
    }

    [Fact]
    public async Task Admins_may_look_up_someone_else_but_readers_may_not()
    {
        await bot.AskAsync(Admin, "/grant organizer 5002");

        var byAdmin = await bot.AskAsync(Admin, "/whoami @BOB_WRITES");
        var byReader = await BobAsksAsync("/whoami 8001");

        Assert.Contains("ID: 5002", byAdmin.Text);
        Assert.Contains("组织者", byAdmin.Text);
        Assert.Contains("只有组织者或管理员", byReader.Text);
    }

    [Fact]
    public async Task An_unknown_username_gets_a_clear_answer_and_grants_nothing()
    {
        var reply = await bot.AskAsync(Admin, "/grant organizer @nobody_here");

        Assert.Contains("@nobody_here", reply.Text);
        Assert.Contains("还没有给机器人发过消息", reply.Text);
        Assert.Equal(0, await bot.ScalarAsync<long>("select count(*) from member_roles"));
    }

    [Theory]
    [InlineData("/grant")]
    [InlineData("/grant superuser 5002")]
    [InlineData("/grant organizer")]
    [InlineData("/grant organizer not a name!")]
    public async Task A_malformed_grant_shows_the_usage(string text)
    {
        var reply = await bot.AskAsync(Admin, text);

        Assert.Contains("/grant organizer", reply.Text);
        Assert.Equal(0, await bot.ScalarAsync<long>("select count(*) from member_roles"));
    }

    [Fact]
    public async Task Readers_cannot_grant_or_revoke()
    {
        var grant = await BobAsksAsync("/grant admin 5002");
        var revoke = await BobAsksAsync("/revoke 8001");

        Assert.Contains("只有组织者或管理员", grant.Text);
        Assert.Contains("只有组织者或管理员", revoke.Text);
        Assert.Equal(0, await bot.ScalarAsync<long>("select count(*) from member_roles"));
    }

    [Fact]
    public async Task Revoking_a_configured_admin_says_the_role_lives_in_configuration()
    {
        var reply = await bot.AskAsync(Admin, "/revoke 8001");

        Assert.Contains("Community:Admins", reply.Text);
    }
}

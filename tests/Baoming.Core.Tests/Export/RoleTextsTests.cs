using Baoming.Core.Replies;

namespace Baoming.Core.Tests.Export;

public sealed class RoleTextsTests
{
    private static readonly TimeZoneInfo Beijing = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    [Fact]
    public void Whoami_shows_the_id_the_role_and_where_it_comes_from_in_Chinese_and_English()
    {
        var card = new RoleCard(42, "bob", "Bob", "admin", "organizer", "admin");

        var zh = new Texts(Language.Chinese, Beijing).WhoAmI(card, isSelf: true).Text;
        var en = new Texts(Language.English, Beijing).WhoAmI(card, isSelf: true).Text;

        Assert.Contains("42", zh);
        Assert.Contains("角色：管理员", zh);
        Assert.Contains("配置文件：组织者", zh);
        Assert.Contains("Role: admin", en);
        Assert.Contains("granted in chat: admin", en);
    }

    [Fact]
    public void Revoking_a_configured_role_points_at_the_configuration()
    {
        var card = new RoleCard(42, null, null, "admin", "admin", null);

        Assert.Contains("Community:Admins", new Texts(Language.Chinese, Beijing).NothingToRevoke(card).Text);
    }
}

using System.Globalization;
using System.Text;

namespace Baoming.Core.Replies;

// Roles (admins): /grant, /revoke, /whoami.
public sealed partial class Texts
{
    public Reply GrantUsage() => Reply.Plain(Pick(
        "用法：/grant organizer <用户ID或@用户名>，或 /grant admin <用户ID或@用户名>",
        "Usage: /grant organizer <user id or @username>, or /grant admin <user id or @username>"));

    public Reply RevokeUsage() => Reply.Plain(Pick(
        "用法：/revoke <用户ID或@用户名>",
        "Usage: /revoke <user id or @username>"));

    public Reply WhoAmIUsage() => Reply.Plain(Pick(
        "用法：/whoami 查看自己；管理员可以用 /whoami <用户ID或@用户名> 查看别人。",
        "Usage: /whoami for yourself; admins may use /whoami <user id or @username> for someone else."));

    public Reply UnknownUsername(string username) => Reply.Plain(Pick(
        $"不认识 @{Clip(username)}：这个人还没有给机器人发过消息。请让对方先发一条消息，或直接使用对方的数字 ID。",
        $"I don't know @{Clip(username)}: they haven't written to the bot yet. Ask them to send a message first, or use their numeric id."));

    public Reply AmbiguousUsername(string username, IReadOnlyList<long> ids) => Reply.Plain(Pick(
        $"有多个成员曾使用 @{Clip(username)}（ID：{string.Join("、", ids)}），请改用数字 ID。",
        $"Several members have used @{Clip(username)} (ids {string.Join(", ", ids)}); please use the numeric id."));

    public Reply Granted(RoleCard member) => Reply.Plain(Pick(
        $"✅ 已授予 {MemberLabel(member)}「{RoleName(member.GrantedRole!)}」角色。现在的角色：{RoleName(member.Role)}。",
        $"✅ {MemberLabel(member)} is now granted {RoleName(member.GrantedRole!)}. Their role: {RoleName(member.Role)}."));

    public Reply Revoked(RoleCard member, string revokedRole) => Reply.Plain(Pick(
        $"已收回 {MemberLabel(member)} 的「{RoleName(revokedRole)}」角色。现在的角色：{RoleName(member.Role)}。",
        $"Revoked {RoleName(revokedRole)} from {MemberLabel(member)}. Their role now: {RoleName(member.Role)}."));

    public Reply NothingToRevoke(RoleCard member) => Reply.Plain(member.ConfiguredRole == "reader"
        ? Pick($"{MemberLabel(member)} 没有在聊天中被授予的角色。", $"{MemberLabel(member)} has no role granted in chat.")
        : Pick(
            $"{MemberLabel(member)} 的{RoleName(member.ConfiguredRole)}角色来自配置文件（Community:Admins / Community:Organizers），只能在配置中修改。",
            $"{MemberLabel(member)} is {RoleName(member.ConfiguredRole)} by configuration (Community:Admins / Community:Organizers); change it there."));

    public Reply WhoAmI(RoleCard member, bool isSelf)
    {
        var text = new StringBuilder(isSelf ? Pick("你的信息：", "About you:") : Pick("成员信息：", "Member:")).Append('\n')
            .Append(CultureInfo.InvariantCulture, $"ID: {member.MemberId}\n");
        if (member.Username is { Length: > 0 } username)
        {
            text.Append(Pick("用户名：@", "Username: @")).Append(username).Append('\n');
        }

        if (member.DisplayName is { Length: > 0 } name)
        {
            text.Append(Pick("名字：", "Name: ")).Append(name).Append('\n');
        }

        text.Append(Pick("角色：", "Role: ")).Append(RoleName(member.Role));
        var sources = new List<string>();
        if (member.ConfiguredRole != "reader")
        {
            sources.Add(Pick($"配置文件：{RoleName(member.ConfiguredRole)}", $"configured: {RoleName(member.ConfiguredRole)}"));
        }

        if (member.GrantedRole is { } granted)
        {
            sources.Add(Pick($"聊天中授予：{RoleName(granted)}", $"granted in chat: {RoleName(granted)}"));
        }

        if (sources.Count > 0)
        {
            text.Append(Pick("（", " (")).Append(string.Join(Pick("；", "; "), sources)).Append(Pick("）", ")"));
        }

        return Reply.Plain(text.ToString());
    }

    /// <summary>"reader" / "organizer" / "admin" as members read it.</summary>
    public string RoleName(string role) => role switch
    {
        "admin" => Pick("管理员", "admin"),
        "organizer" => Pick("组织者", "organizer"),
        _ => Pick("普通成员", "reader"),
    };

    private string MemberLabel(RoleCard member)
    {
        var id = member.MemberId.ToString(CultureInfo.InvariantCulture);
        var name = member.Username is { Length: > 0 } username ? "@" + username : member.DisplayName;
        return string.IsNullOrEmpty(name) ? id : Pick($"{name}（{id}）", $"{name} ({id})");
    }
}

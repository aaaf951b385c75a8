using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Baoming.Web;

/// <summary>
/// The dashboard door's own pages, bilingual and static. The login link is <c>/dashboard/login#ticket=…</c>:
/// a browser never sends the fragment, so the ticket is in no request line and no server or proxy log.
/// The page's script reads it, wipes it from the address bar and history, and posts it.
/// </summary>
internal static class DashboardPages
{
    private const string LoginScript = """
        var match = /^#ticket=([\w-]+)$/.exec(location.hash);
        history.replaceState(null, "", location.pathname);
        if (match) { document.getElementById("ticket").value = match[1]; document.getElementById("login").submit(); }
        """;

    /// <summary>Only this script may run (a hash, not a nonce: the page never changes), and forms post only here.</summary>
    private static readonly string LoginPolicy =
        $"default-src 'none'; script-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(LoginScript)))}'; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private const string NoScriptPolicy = "default-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static readonly string Login = Page("登录 / Log in", $"""
        <form method="post" action="{Dashboard.LoginPath}" id="login">
        <input type="hidden" name="ticket" id="ticket">
        <p>正在登录任务面板……<br>Logging in to the job dashboard…</p>
        <p>没有自动跳转？请在机器人私聊中发送 /dashboard 获取新的登录链接（需要启用 JavaScript）。<br>
        Nothing happening? Send /dashboard to the bot for a new login link (JavaScript must be on).</p>
        <button type="submit">登录 / Log in</button>
        </form>
        <script>{LoginScript}</script>
        """);

    public static readonly string LogOut = Page("退出 / Log out", $"""
        <form method="post" action="{Dashboard.LogoutPath}">
        <p>退出任务面板？<br>Log out of the job dashboard?</p>
        <button type="submit">退出 / Log out</button>
        </form>
        <p><a href="{Dashboard.Path}">返回面板 / Back to the dashboard</a></p>
        """);

    public static readonly string LoggedOut = Page("已退出 / Logged out", """
        <p>已退出任务面板。再次登录请在机器人私聊中发送 /dashboard。<br>
        You are logged out of the job dashboard. To come back, send /dashboard to the bot.</p>
        """);

    public const string NotLoggedIn =
        "请在机器人私聊中发送 /dashboard 获取登录链接（仅限组织者和管理员）。\nSend /dashboard to the bot for a login link (organizers and admins only).\n";

    public const string TicketRefused =
        "登录链接无效、已用过或已过期，请在机器人私聊中重新发送 /dashboard。\nThis link is not valid, was used already or has expired: send /dashboard to the bot again.\n";

    public const string CrossSite = "Forbidden: this form only works from the dashboard's own pages.\n";

    /// <summary>Writes <paramref name="html"/> with headers that keep it out of caches, frames and referrers.</summary>
    public static IResult Html(HttpContext http, string html)
    {
        var headers = http.Response.Headers;
        headers.CacheControl = "no-store";
        headers["Referrer-Policy"] = "no-referrer";
        headers["X-Content-Type-Options"] = "nosniff";
        headers.ContentSecurityPolicy = ReferenceEquals(html, Login) ? LoginPolicy : NoScriptPolicy;
        return Results.Content(html, "text/html; charset=utf-8");
    }

    private static string Page(string title, string body) => $"""
        <!doctype html>
        <html lang="zh-CN">
        <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Baoming jobs · {title}</title></head>
        <body>
        {body}
        </body>
        </html>
        """;
}

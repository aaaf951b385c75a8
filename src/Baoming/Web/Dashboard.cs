using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Baoming.Audit;
using Baoming.Chat;
using Baoming.Core;
using Baoming.Platform;
using Baoming.Roles;
using Baoming.Telegram;
using Hangfire;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Baoming.Web;

/// <summary>
/// The Hangfire dashboard at <c>/hangfire</c>, for organizers (read-only) and admins (full). Nobody
/// gets in anonymously: an organizer sends <c>/dashboard</c> to the bot and receives a login link valid
/// for a few minutes; opening it sets a signed cookie. The role is looked up again on every request,
/// so a revoked organizer is out at once.
/// </summary>
public static class Dashboard
{
    public const string Path = "/hangfire";
    public const string LoginPath = "/dashboard/login";
    public const string CookieName = "baoming_dashboard";
    private const string RoleItem = "baoming.dashboard.role";

    public static IServiceCollection AddBotDashboard(this IServiceCollection services)
    {
        services.AddSingleton<DashboardPasses>();
        services.AddSingleton<IChatCommand, DashboardCommand>();
        // Hangfire's dashboard uses antiforgery tokens on its forms (retry, delete) when the service is there.
        services.AddAntiforgery();
        return services;
    }

    public static WebApplication MapBotDashboard(this WebApplication app)
    {
        app.MapGet(LoginPath, LogInAsync);
        app.UseWhen(http => http.Request.Path.StartsWithSegments(Path), branch => branch.Use(GateAsync));
        app.UseHangfireDashboard(Path, new DashboardOptions
        {
            // The defaults allow local requests: behind a reverse proxy everything looks local.
            Authorization = [],
            AsyncAuthorization = [new RoleFilter()],
            IsReadOnlyFunc = context => context.GetHttpContext().Items[RoleItem] is not Role.Admin,
            DashboardTitle = "Baoming jobs",
            AppPath = null,
        }, app.Services.GetRequiredService<JobStorage>());
        return app;
    }

    /// <summary>Lets through organizers and admins with a valid cookie; everyone else gets 401 and how to get in.</summary>
    private static async Task GateAsync(HttpContext http, RequestDelegate next)
    {
        var passes = http.RequestServices.GetRequiredService<DashboardPasses>();
        var roles = http.RequestServices.GetRequiredService<RoleService>();
        var memberId = passes.Read(http.Request.Cookies[CookieName], DashboardPasses.SessionPurpose);
        var role = memberId is { } id ? await roles.GetRoleAsync(id, http.RequestAborted) : Role.Reader;
        if (role is not (Role.Organizer or Role.Admin))
        {
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            http.Response.ContentType = "text/plain; charset=utf-8";
            await http.Response.WriteAsync("请在机器人私聊中发送 /dashboard 获取登录链接（仅限组织者和管理员）。\nSend /dashboard to the bot for a login link (organizers and admins only).\n");
            return;
        }

        http.Items[RoleItem] = role;
        await next(http);
    }

    private static async Task<IResult> LogInAsync(HttpContext http, DashboardPasses passes, RoleService roles, AuditLog audit)
    {
        if (passes.Read(http.Request.Query["ticket"], DashboardPasses.TicketPurpose) is not { } memberId
            || await roles.GetRoleAsync(memberId, http.RequestAborted) is not (Role.Organizer or Role.Admin))
        {
            return Results.Text(
                "登录链接无效或已过期，请在机器人私聊中重新发送 /dashboard。\nThis link is not valid or has expired: send /dashboard to the bot again.\n",
                "text/plain; charset=utf-8", statusCode: StatusCodes.Status401Unauthorized);
        }

        await audit.WriteAsync(memberId, "dashboard.login", new { }, http.RequestAborted);
        http.Response.Cookies.Append(CookieName, passes.Issue(memberId, DashboardPasses.SessionPurpose, DashboardPasses.SessionLifetime), new CookieOptions
        {
            HttpOnly = true,
            Secure = http.Request.IsHttps || passes.PublicOrigin.StartsWith("https:", StringComparison.Ordinal),
            SameSite = SameSiteMode.Lax,
            Path = Path,
            MaxAge = DashboardPasses.SessionLifetime,
        });
        return Results.Redirect(Path);
    }

    /// <summary>Defence in depth: Hangfire itself also refuses anyone the gate did not let through.</summary>
    private sealed class RoleFilter : IDashboardAsyncAuthorizationFilter
    {
        public Task<bool> AuthorizeAsync(DashboardContext context) =>
            Task.FromResult(context.GetHttpContext().Items[RoleItem] is Role.Organizer or Role.Admin);
    }
}

/// <summary>
/// Signed, expiring passes naming a member: a login ticket (minutes, sent in chat) and a session cookie
/// (hours). The key is derived from the bot token, which every instance has and which is never shown,
/// so any instance accepts a pass another one issued; rotating the token signs everyone out.
/// </summary>
public sealed class DashboardPasses(IOptions<TelegramOptions> telegram, IOptions<HttpOptions> http, TimeProvider time)
{
    public const string TicketPurpose = "ticket";
    public const string SessionPurpose = "session";
    public static readonly TimeSpan TicketLifetime = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(8);

    private readonly byte[] key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("baoming/dashboard/v1"), Encoding.UTF8.GetBytes(telegram.Value.BotToken ?? ""));

    /// <summary>Where people reach this service: <c>Http:PublicUrl</c>, else the webhook URL's origin, else the first listen URL.</summary>
    public string PublicOrigin { get; } = (http.Value.PublicUrl is { Length: > 0 } configured ? configured
        : telegram.Value.WebhookUri?.GetLeftPart(UriPartial.Authority)
        ?? http.Value.LocalUrl).TrimEnd('/');

    public string LoginLink(long memberId) =>
        $"{PublicOrigin}{Dashboard.LoginPath}?ticket={Issue(memberId, TicketPurpose, TicketLifetime)}";

    public string Issue(long memberId, string purpose, TimeSpan lifetime)
    {
        var expires = time.GetUtcNow().Add(lifetime).ToUnixTimeSeconds();
        var body = string.Create(CultureInfo.InvariantCulture, $"{memberId}.{expires}");
        return $"{body}.{Sign(purpose, body)}";
    }

    /// <summary>The member a pass names, or null when it is malformed, forged, expired or for another purpose.</summary>
    public long? Read(string? pass, string purpose)
    {
        var parts = (pass ?? "").Split('.');
        if (parts.Length != 3
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var memberId)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var expires))
        {
            return null;
        }

        var expected = Encoding.ASCII.GetBytes(Sign(purpose, $"{parts[0]}.{parts[1]}"));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(parts[2]))
               && time.GetUtcNow().ToUnixTimeSeconds() < expires
            ? memberId
            : null;
    }

    private string Sign(string purpose, string body) =>
        WebEncoders.Base64UrlEncode(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{purpose}:{body}")));
}

/// <summary><c>/dashboard</c> (organizers and admins): a login link for the job dashboard.</summary>
public sealed class DashboardCommand(DashboardPasses passes, AuditLog audit) : IChatCommand
{
    public string Name => "dashboard";

    public Role Requires => Role.Organizer;

    public async Task<Response> HandleAsync(ChatContext context, string? arguments, CancellationToken cancellationToken)
    {
        await audit.WriteAsync(context.MemberId, "dashboard.link", new { }, cancellationToken);
        return context.Reply(context.Texts.DashboardLink(passes.LoginLink(context.MemberId), (int)DashboardPasses.TicketLifetime.TotalMinutes, context.Role == Role.Admin));
    }
}

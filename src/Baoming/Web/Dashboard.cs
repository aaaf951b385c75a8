using Baoming.Audit;
using Baoming.Chat;
using Baoming.Platform;
using Baoming.Telegram;
using Hangfire;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Baoming.Web;

/// <summary>
/// The Hangfire dashboard at <c>/hangfire</c>, for organizers (read-only) and admins (full). Nobody gets
/// in anonymously: an organizer sends <c>/dashboard</c> to the bot and receives a link to
/// <c>/dashboard/login</c> carrying a single-use ticket (two minutes); the page posts it and gets a
/// server-side session (<see cref="DashboardSessions"/>), whose random id is all the cookie holds.
/// Every request checks the session and the member's current role: a role lower than at login, half
/// an hour idle, eight hours, or logging out (the page's button, <c>/logout</c> in the chat) ends it.
/// </summary>
public static class Dashboard
{
    public const string Path = "/hangfire";
    public const string LoginPath = "/dashboard/login";
    public const string LogoutPath = "/dashboard/logout";

    /// <summary>Not the old signed pass's name (<c>baoming_dashboard</c>, path <c>/hangfire</c>), which a browser would send first.</summary>
    public const string CookieName = "baoming_dashboard_session";

    private const string RoleItem = "baoming.dashboard.role";

    /// <summary>Hangfire's navigation menu is process-wide: the item is added once, whatever the number of hosts.</summary>
    private static int logoutMenuAdded;

    public static IServiceCollection AddBotDashboard(this IServiceCollection services)
    {
        services.AddSingleton<DashboardSessions>();
        services.AddSingleton<DashboardAddress>();
        services.AddSingleton<IChatCommand, DashboardCommand>();
        services.AddSingleton<IChatCommand, LogoutCommand>();
        // Hangfire's dashboard uses antiforgery tokens on its forms (retry, delete) when the service is
        // there; they are Data Protection payloads, so the key ring is shared through the database.
        services.AddAntiforgery();
        services.AddPostgresDataProtection();
        return services;
    }

    public static WebApplication MapBotDashboard(this WebApplication app)
    {
        app.MapGet(LoginPath, (HttpContext http) => DashboardPages.Html(http, DashboardPages.Login));
        app.MapPost(LoginPath, LogInAsync);
        app.MapGet(LogoutPath, (HttpContext http) => DashboardPages.Html(http, DashboardPages.LogOut));
        app.MapPost(LogoutPath, LogOutAsync);
        app.UseWhen(http => http.Request.Path.StartsWithSegments(Path), branch => branch.Use(GateAsync));
        if (Interlocked.Exchange(ref logoutMenuAdded, 1) == 0)
        {
            NavigationMenu.Items.Add(_ => new MenuItem("退出 / Log out", LogoutPath));
        }

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

    /// <summary>Lets through live sessions of members still holding their login role; everyone else gets 401 and how to get in.</summary>
    private static async Task GateAsync(HttpContext http, RequestDelegate next)
    {
        var sessions = http.RequestServices.GetRequiredService<DashboardSessions>();
        var roles = http.RequestServices.GetRequiredService<RoleService>();
        var id = http.Request.Cookies[CookieName];
        var session = await sessions.FindAsync(id, http.RequestAborted);
        if (session is not null && await roles.GetRoleAsync(session.MemberId, http.RequestAborted) < session.Role)
        {
            // Demoted or revoked: ended for good, so a later promotion does not revive an old cookie.
            await sessions.EndAsync(id!, http.RequestAborted);
            session = null;
        }

        if (session is null)
        {
            if (id is not null)
            {
                http.Response.Cookies.Delete(CookieName, SessionCookie(http));
            }

            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            http.Response.ContentType = "text/plain; charset=utf-8";
            await http.Response.WriteAsync(DashboardPages.NotLoggedIn, http.RequestAborted);
            return;
        }

        http.Items[RoleItem] = session.Role;
        await next(http);
    }

    /// <summary>The login page's form: the ticket, once, for a session cookie.</summary>
    private static async Task<IResult> LogInAsync(HttpContext http, DashboardSessions sessions, RoleService roles, AuditLog audit)
    {
        if (IsCrossSite(http.Request))
        {
            return Results.Text(DashboardPages.CrossSite, "text/plain; charset=utf-8", statusCode: StatusCodes.Status403Forbidden);
        }

        var ticket = http.Request.HasFormContentType ? (await http.Request.ReadFormAsync(http.RequestAborted))["ticket"].ToString() : null;
        var memberId = await sessions.RedeemTicketAsync(ticket, http.RequestAborted);
        var role = memberId is { } member ? await roles.GetRoleAsync(member, http.RequestAborted) : Role.Reader;
        if (memberId is null || role < Role.Organizer)
        {
            return Results.Text(DashboardPages.TicketRefused, "text/plain; charset=utf-8", statusCode: StatusCodes.Status401Unauthorized);
        }

        var id = await sessions.OpenAsync(memberId.Value, role, http.RequestAborted);
        await audit.WriteAsync(memberId.Value, "dashboard.login", new { }, http.RequestAborted);
        var options = SessionCookie(http);
        options.MaxAge = DashboardSessions.AbsoluteLifetime;
        http.Response.Cookies.Append(CookieName, id, options);
        // 303: the browser follows with a GET, and a reload does not post the used ticket again.
        http.Response.Headers.Location = Path;
        return Results.StatusCode(StatusCodes.Status303SeeOther);
    }

    /// <summary>The log-out page's button: ends this browser's session.</summary>
    private static async Task<IResult> LogOutAsync(HttpContext http, DashboardSessions sessions, AuditLog audit)
    {
        if (IsCrossSite(http.Request))
        {
            return Results.Text(DashboardPages.CrossSite, "text/plain; charset=utf-8", statusCode: StatusCodes.Status403Forbidden);
        }

        if (http.Request.Cookies[CookieName] is { } id)
        {
            if (await sessions.FindAsync(id, http.RequestAborted) is { } session)
            {
                await audit.WriteAsync(session.MemberId, "dashboard.logout", new { }, http.RequestAborted);
            }

            await sessions.EndAsync(id, http.RequestAborted);
            http.Response.Cookies.Delete(CookieName, SessionCookie(http));
        }

        return DashboardPages.Html(http, DashboardPages.LoggedOut);
    }

    /// <summary>
    /// A page elsewhere must not post to the door: not its own ticket (logging a victim into the
    /// attacker's session), not a log-out. Browsers say where a request comes from; the cookie's
    /// SameSite=Strict already keeps it off such requests.
    /// </summary>
    private static bool IsCrossSite(HttpRequest request) =>
        request.Headers["Sec-Fetch-Site"].ToString() is "cross-site" or "same-site";

    private static CookieOptions SessionCookie(HttpContext http) => new()
    {
        HttpOnly = true,
        Secure = http.Request.IsHttps || http.RequestServices.GetRequiredService<DashboardAddress>().IsHttps,
        // Strict: a link from elsewhere (the chat included) opens the dashboard without the session.
        SameSite = SameSiteMode.Strict,
        Path = "/",
    };

    /// <summary>Defence in depth: Hangfire itself also refuses anyone the gate did not let through.</summary>
    private sealed class RoleFilter : IDashboardAsyncAuthorizationFilter
    {
        public Task<bool> AuthorizeAsync(DashboardContext context) =>
            Task.FromResult(context.GetHttpContext().Items[RoleItem] is Role.Organizer or Role.Admin);
    }
}

/// <summary>Where people reach this service, for the login link.</summary>
public sealed class DashboardAddress(IOptions<TelegramOptions> telegram, IOptions<HttpOptions> http)
{
    /// <summary><c>Http:PublicUrl</c>, else the webhook URL's origin, else the first listen URL.</summary>
    public string PublicOrigin { get; } = (http.Value.PublicUrl is { Length: > 0 } configured ? configured
        : telegram.Value.WebhookUri?.GetLeftPart(UriPartial.Authority)
        ?? http.Value.LocalUrl).TrimEnd('/');

    /// <summary>Behind a TLS-terminating proxy the request is plain http: the public address decides the cookie's Secure flag.</summary>
    public bool IsHttps => PublicOrigin.StartsWith("https:", StringComparison.Ordinal);

    /// <summary>The ticket goes in the fragment, which browsers never send: see <see cref="DashboardPages"/>.</summary>
    public string LoginLink(string ticket) => $"{PublicOrigin}{Dashboard.LoginPath}#ticket={ticket}";
}

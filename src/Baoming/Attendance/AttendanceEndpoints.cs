using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Baoming.Attendance;

/// <summary>
/// <c>GET /j/{token}</c>: a member's personal join link. A genuine token of a confirmed registration is
/// recorded (<see cref="JoinClicks"/>) and redirected (302) to the session's join URL; anything else (a
/// forged or mistyped token, someone else's cancelled registration, a session without a join URL) gets
/// the same small page, which says nothing about why.
/// </summary>
public static partial class AttendanceEndpoints
{
    public const string Route = JoinLinks.PathPrefix + "{token}";

    private static readonly byte[] NeutralPage = """
        <!doctype html>
        <html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>报名助手</title></head>
        <body><p>这个链接现在打不开。请回到 Telegram 里和报名助手的对话查看。</p>
        <p lang="en">This link cannot be opened now. Please go back to your chat with the bot in Telegram.</p></body></html>
        """u8.ToArray();

    /// <summary>
    /// Robots that fetch a link to draw its preview (the bot's own messages disable previews, but a member
    /// may forward one): they are redirected like anyone, but are not the member and record nothing.
    /// </summary>
    private static readonly string[] PreviewRobots = ["TelegramBot", "facebookexternalhit", "Slackbot", "Twitterbot", "Discordbot", "WhatsApp/", "LinkedInBot"];

    public static IEndpointRouteBuilder MapAttendance(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Route, ClickAsync);
        return endpoints;
    }

    /// <summary>A plain request delegate: no model binding on the hot path of a start-of-session rush.</summary>
    private static async Task ClickAsync(HttpContext http)
    {
        var services = http.RequestServices;
        var links = services.GetRequiredService<JoinLinks>();
        var token = http.Request.RouteValues["token"] as string ?? "";
        var ids = await links.ReadAsync(token, http.RequestAborted);
        var joinUrl = ids is { } found
            ? await services.GetRequiredService<JoinClicks>().ClickAsync(
                found.SessionId, found.MemberId, services.GetRequiredService<TimeProvider>().GetUtcNow(), !IsPreviewRobot(http.Request), http.RequestAborted)
            : null;

        // Nobody should keep or share the personal address: no caching, no referrer to the meeting platform.
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers["Referrer-Policy"] = "no-referrer";
        if (joinUrl is not null)
        {
            http.Response.StatusCode = StatusCodes.Status302Found;
            http.Response.Headers.Location = joinUrl;
            return;
        }

        http.Response.StatusCode = StatusCodes.Status404NotFound;
        http.Response.ContentType = "text/html; charset=utf-8";
        await http.Response.Body.WriteAsync(NeutralPage, http.RequestAborted);
    }

    private static bool IsPreviewRobot(HttpRequest request)
    {
        var agent = request.Headers.UserAgent.ToString();
        foreach (var robot in PreviewRobots)
        {
            if (agent.Contains(robot, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}

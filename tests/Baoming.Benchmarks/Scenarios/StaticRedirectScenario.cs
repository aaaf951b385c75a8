using Baoming.Benchmarks.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Baoming.Benchmarks.Scenarios;

/// <summary>
/// The baseline of <see cref="JoinRushScenario"/>, not a benchmark of its own: <c>joinrush</c> starts this program
/// again with this verb, as a process of its own like the bot. The same kind of host as the bot's <c>run</c>
/// (ASP.NET Core's slim builder, Kestrel on 127.0.0.1, a minimal-API <c>GET /j/{token}</c>, the bot's GC settings
/// given by <c>joinrush</c>), answering every link with the same 302 and headers and nothing else: no token to
/// decrypt, no database, none of the bot's other endpoints. It serves until stopped (SIGTERM).
/// </summary>
internal sealed class StaticRedirectScenario : IScenario
{
    public const string Verb = "static-redirect";

    /// <summary>The first line it prints once serving, followed by its address (as Kestrel's own line reads).</summary>
    public const string Listening = "Now listening on:";

    public string Name => Verb;

    public string Summary => "(started by joinrush as its baseline) a static redirect server: GET /j/{token} → 302 to --to";

    public IReadOnlyList<(string Option, string Meaning)> Options =>
    [
        ("--to URL", "where every link redirects"),
    ];

    public async Task<ResultTable> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var target = context.Args.Value("to") ?? throw new BenchmarkFailedException("--to is required.");
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        // As the bot: no per-request log lines.
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        await using var app = builder.Build();
        app.MapGet("/j/{token}", (HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "no-store";
            http.Response.Headers["Referrer-Policy"] = "no-referrer";
            http.Response.StatusCode = StatusCodes.Status302Found;
            http.Response.Headers.Location = target;
            return Task.CompletedTask;
        });
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        await Console.Out.WriteLineAsync($"{Listening} {address}");
        await app.WaitForShutdownAsync(cancellationToken);
        return new ResultTable(Verb, [], []);
    }
}

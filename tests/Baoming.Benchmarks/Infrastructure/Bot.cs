using System.Diagnostics;
using System.Globalization;
using Baoming.Benchmarks.Scenarios;

namespace Baoming.Benchmarks.Infrastructure;

/// <summary>Starts the real bot (<c>dotnet Baoming.dll run</c>) against a fake Bot API.</summary>
internal static class Bot
{
    /// <summary>
    /// The environment for <c>run</c>: the fake's URL and token, and the sample configuration's two sessions
    /// (appsettings.sample.json) upcoming whatever today is, with the metaverse session unlimited (capacity 0) so
    /// every sign-up is confirmed. Given in full: the bot has no built-in sessions, and a list setting comes whole
    /// from the one source that sets it (here, the environment).
    /// </summary>
    public static Dictionary<string, string?> Environment(LeanBotApi api, string? connectionString)
    {
        var soon = DateTimeOffset.UtcNow.AddDays(20);
        var environment = new Dictionary<string, string?>
        {
            ["Telegram__BotToken"] = LeanBotApi.Token,
            ["Telegram__ApiBaseUrl"] = api.BaseUrl,
            ["Sessions__0__Key"] = "auto",
            ["Sessions__0__Title"] = "汽车产业的话题交流",
            ["Sessions__0__Aliases__0"] = "汽车",
            ["Sessions__0__Aliases__1"] = "车",
            ["Sessions__0__Aliases__2"] = "auto",
            ["Sessions__0__Aliases__3"] = "automotive",
            ["Sessions__0__StartsAt"] = soon.ToString("O", CultureInfo.InvariantCulture),
            ["Sessions__0__DurationMinutes"] = "90",
            ["Sessions__0__Capacity"] = "500",
            ["Sessions__0__Description"] = "线上选题会：聊聊汽车产业的新变化。",
            ["Sessions__1__Key"] = "metaverse",
            ["Sessions__1__Title"] = "到底什么是\"元宇宙\"",
            ["Sessions__1__Aliases__0"] = "元宇宙",
            ["Sessions__1__Aliases__1"] = "metaverse",
            ["Sessions__1__Aliases__2"] = "meta",
            ["Sessions__1__StartsAt"] = soon.AddDays(7).ToString("O", CultureInfo.InvariantCulture),
            ["Sessions__1__DurationMinutes"] = "90",
            ["Sessions__1__Capacity"] = "0",
            ["Sessions__1__Description"] = "线上选题会：元宇宙到底是什么，又不是什么。",
            // Any free port: nothing here calls the HTTP endpoints, and 8080 may be taken.
            ["Http__Urls"] = "http://127.0.0.1:0",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        };
        if (connectionString is not null)
        {
            environment["ConnectionStrings__Postgres"] = connectionString;
        }

        return environment;
    }

    public static ChildProcess Start(BenchContext context, IReadOnlyDictionary<string, string?> environment, IReadOnlyList<string>? watch = null) =>
        Start(context.BotDll, environment, watch);

    /// <summary>The bot in <paramref name="dll"/> (e.g. a published build) rather than the scenario's default.</summary>
    public static ChildProcess Start(string dll, IReadOnlyDictionary<string, string?> environment, IReadOnlyList<string>? watch = null) =>
        ChildProcess.Start(dll, ["run"], environment, watch);

    /// <summary>
    /// <c>dotnet publish</c> of the bot as an operator publishes it (the Dockerfile, the systemd route: Release,
    /// ReadyToRun from the project's publish properties) into <paramref name="folder"/>; returns the dll.
    /// </summary>
    public static async Task<string> PublishAsync(string projectFolder, string folder, CancellationToken ct)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "publish", projectFolder, "-c", "Release", "-o", folder, "-p:UseAppHost=false", "-nologo" })
        {
            start.ArgumentList.Add(argument);
        }

        using var publish = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet publish.");
        var output = publish.StandardOutput.ReadToEndAsync(ct);
        var errors = publish.StandardError.ReadToEndAsync(ct);
        await publish.WaitForExitAsync(ct);
        if (publish.ExitCode != 0)
        {
            throw new BenchmarkFailedException($"dotnet publish failed ({publish.ExitCode}):\n{await output}\n{await errors}");
        }

        return Path.Combine(folder, "Baoming.dll");
    }

    /// <summary>Schema and configured sessions from the bot itself (<c>migrate</c>), before any instance runs.</summary>
    public static async Task MigrateAsync(BenchContext context, IReadOnlyDictionary<string, string?> environment, CancellationToken ct)
    {
        await using var migrate = ChildProcess.Start(context.BotDll, ["migrate"], environment);
        if (!await migrate.WaitForExitAsync(TimeSpan.FromSeconds(60), ct) || migrate.ExitCode != 0)
        {
            throw new BenchmarkFailedException($"migrate failed:\n{migrate.Tail()}");
        }
    }

    /// <summary>The last lines of each process, for a failure message.</summary>
    public static string Tails(IReadOnlyList<ChildProcess> bots) =>
        bots.Count == 1 ? bots[0].Tail() : string.Join('\n', bots.Select((bot, i) => $"--- instance {i + 1} (pid {bot.Id}) ---\n{bot.Tail()}"));

    /// <summary>Waits for the process's first getUpdates; returns its arrival time (a Stopwatch timestamp).</summary>
    public static async Task<long> WaitForFirstPollAsync(LeanBotApi api, ChildProcess process, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (api.GetUpdatesCalls is [var first, ..])
            {
                return first;
            }

            if (process.HasExited)
            {
                throw new BenchmarkFailedException($"The process exited before polling:\n{process.Tail()}");
            }

            if (deadline.Elapsed > timeout)
            {
                throw new BenchmarkFailedException($"No getUpdates within {timeout.TotalSeconds} s:\n{process.Tail()}");
            }

            await Task.Delay(2, ct);
        }
    }
}

using Baoming.Hosting;
using Baoming.Storage;
using Baoming.Tests.Fakes;
using Baoming.Tests.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Baoming.Tests.Startup;

/// <summary>
/// The bot started exactly as <c>run</c> starts it (<see cref="HostRunner.RunPreparingBesideAsync"/> with
/// <see cref="BotWeb.Build"/>): the host starts while the database is prepared beside it. Unlike the harness,
/// which prepares the database first, so a test can watch what happens before the database is ready.
/// </summary>
internal sealed class RunningBot : IAsyncDisposable
{
    private readonly TaskCompletionSource stop = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string applicationName = $"baoming-test-{Guid.NewGuid():N}";
    private Task<int>? run;

    private RunningBot(string connectionString) => ConnectionString = connectionString;

    public string ConnectionString { get; }

    public IHost Host { get; private set; } = null!;

    public DatabaseReadiness Readiness => Host.Services.GetRequiredService<DatabaseReadiness>();

    /// <summary>Where the bot's HTTP endpoints answer.</summary>
    public Uri BaseAddress => new(((WebApplication)Host).Urls.First());

    public static async Task<RunningBot> StartAsync(FakeBotApi telegram, string connectionString, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var bot = new RunningBot(connectionString);
        var configuration = BotHarness.Configuration(telegram, DateTimeOffset.UtcNow, settings);
        configuration["ConnectionStrings:Postgres"] = new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = bot.applicationName }.ConnectionString;

        var started = new TaskCompletionSource<IHost>(TaskCreationOptions.RunContinuationsAsynchronously);
        bot.run = HostRunner.RunPreparingBesideAsync(
            BaomingHost.CreateWebBuilder(configuration),
            BotWeb.Build,
            async (host, ct) =>
            {
                // As RunCommand: start, then wait (here for the test's end rather than SIGTERM).
                await host.StartAsync(ct);
                started.TrySetResult(host);
                await bot.stop.Task;
                await host.StopAsync(CancellationToken.None);
                return HostRunner.ExitCodeOf(host);
            },
            CancellationToken.None);
        var first = await Task.WhenAny(started.Task, bot.run);
        if (first == bot.run)
        {
            throw new InvalidOperationException($"The bot ended before it started (exit code {await bot.run}).");
        }

        bot.Host = await started.Task;
        return bot;
    }

    public async Task<T> ScalarAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        return (await connection.ExecuteScalarAsync<T>(sql, parameters))!;
    }

    /// <summary>Stops the bot as SIGTERM would; its exit code.</summary>
    public async Task<int> StopAsync()
    {
        stop.TrySetResult();
        return await run!;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await using var connection = new NpgsqlConnection(ConnectionString);
        NpgsqlConnection.ClearPool(connection);
        // Hangfire's LISTEN connections may outlive the host (see BotHarness.DisposeAsync): close this bot's.
        await connection.OpenAsync();
        await connection.ExecuteAsync(
            "select pg_terminate_backend(pid) from pg_stat_activity where application_name = @applicationName", new { applicationName });
    }
}

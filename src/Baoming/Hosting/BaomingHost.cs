using Baoming.Broadcasts;
using Baoming.Chat;
using Baoming.Community;
using Baoming.Delivery;
using Baoming.Export;
using Baoming.Jobs;
using Baoming.Metrics;
using Baoming.Roles;
using Baoming.Sessions;
using Baoming.Storage;
using Baoming.Storage.Embedded;
using Baoming.Telegram;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Console;

namespace Baoming.Hosting;

/// <summary>How every verb builds its host: the same configuration sources, options and services.</summary>
public static class BaomingHost
{
    /// <summary>
    /// Configuration, later sources winning: <c>appsettings.json</c> beside the binary (the documented
    /// sample), <c>appsettings.{Environment}.json</c>, the file named by <c>BAOMING_CONFIG</c>,
    /// environment variables (<c>Section__Key</c>), then <paramref name="overrides"/>.
    /// </summary>
    public static HostApplicationBuilder CreateBuilder(IReadOnlyDictionary<string, string?>? overrides = null, bool isShell = false)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
            ApplicationName = "Baoming",
        });

        if (Environment.GetEnvironmentVariable("BAOMING_CONFIG") is { Length: > 0 } file)
        {
            builder.Configuration.AddJsonFile(Path.GetFullPath(file), optional: false, reloadOnChange: false);
            builder.Configuration.AddEnvironmentVariables();
        }

        if (overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }

        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-dd HH:mm:ss ";
            o.ColorBehavior = LoggerColorBehavior.Disabled;
            o.IncludeScopes = true;
        });
        if (isShell)
        {
            // The terminal is a chat: only problems belong in it, and on stderr.
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        }

        builder.Logging.AddFilter("System.Net.Http", LogLevel.Warning);
        // Hangfire narrates every poll at Information; its warnings and errors still show.
        builder.Logging.AddFilter("Hangfire", LogLevel.Warning);
        return builder;
    }

    /// <summary>Options, storage and the conversation engine: everything but the channel.</summary>
    public static IServiceCollection AddBaoming(this IServiceCollection services, IConfiguration configuration, string connectionString)
    {
        services.AddOptionsWithValidateOnStart<TelegramOptions, TelegramOptionsValidator>().BindConfiguration(TelegramOptions.Section)
            .Validate(o => o.Mode == TelegramMode.Polling, "Telegram:Mode: Webhook is not available yet in this version; use Polling.");
        services.AddOptionsWithValidateOnStart<CommunityOptions, CommunityOptionsValidator>().BindConfiguration(CommunityOptions.Section);
        services.AddOptionsWithValidateOnStart<SessionCatalogOptions, SessionCatalogOptionsValidator>()
            .Configure(o => configuration.GetSection("Sessions").Bind(o.Sessions))
            .Validate(o => o.Sessions.Select(s => s.Key).Distinct(StringComparer.Ordinal).Count() == o.Sessions.Count,
                "Sessions: every Key must be unique.");

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<BotIdentity>();
        services.AddBaomingMetrics();
        services.AddStorage(connectionString);
        services.AddJobs();
        services.AddDelivery();
        services.AddSingleton<SessionSync>();
        services.AddSingleton<Roles.RoleService>();
        services.AddSingleton<Audit.AuditLog>();
        services.AddSingleton<DialogueStore>();
        services.AddSingleton<Conversation>();

        // Features that plug into the conversation (commands, buttons) and the verbs.
        services.AddExport();
        services.AddRoleCommands();
        services.AddSessionCommands();
        services.AddBroadcasts();
        return services;
    }

    /// <summary>
    /// The configured connection string, or, when <c>ConnectionStrings:Postgres</c> is empty, the
    /// private embedded cluster (started here; the caller disposes it to stop it).
    /// </summary>
    public static async Task<(string ConnectionString, EmbeddedPostgres? Embedded)> ResolveDatabaseAsync(
        IConfiguration configuration, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (configuration.GetConnectionString("Postgres") is { Length: > 0 } configured)
        {
            return (configured, null);
        }

        var options = configuration.GetSection("EmbeddedPostgres").Get<EmbeddedPostgresOptions>() ?? new EmbeddedPostgresOptions();
        var embedded = await EmbeddedPostgres.StartAsync(options, loggers.CreateLogger<EmbeddedPostgres>(), cancellationToken);
        return (embedded.ConnectionString, embedded);
    }

    /// <summary>Migrations and the configured sessions, before anything serves: waits for the database if it is down.</summary>
    public static async Task PrepareDatabaseAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Baoming.Startup");
        await Retry.UntilDoneAsync(services.GetRequiredService<Migrator>().MigrateAsync, logger, cancellationToken);
        await Retry.UntilDoneAsync(services.GetRequiredService<SessionSync>().SyncAsync, logger, cancellationToken);
    }
}

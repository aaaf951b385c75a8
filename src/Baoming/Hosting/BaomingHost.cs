using Baoming.AfterSession;
using Baoming.Attendance;
using Baoming.Audit;
using Baoming.Broadcasts;
using Baoming.Chat;
using Baoming.Community;
using Baoming.Delivery;
using Baoming.Export;
using Baoming.Feedback;
using Baoming.FollowUps;
using Baoming.History;
using Baoming.Jobs;
using Baoming.Members;
using Baoming.Metrics;
using Baoming.Notes;
using Baoming.Platform;
using Baoming.Questions;
using Baoming.Reminders;
using Baoming.Roles;
using Baoming.Series;
using Baoming.Sessions;
using Baoming.Signup;
using Baoming.Sources;
using Baoming.Stats;
using Baoming.Storage;
using Baoming.Storage.Embedded;
using Baoming.Telegram;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Logging.Console;

namespace Baoming.Hosting;

/// <summary>How every verb builds its host: the same configuration sources, options and services.</summary>
public static class BaomingHost
{
    /// <summary>Environment variables naming folders of secret files: ours, and systemd's credentials.</summary>
    private static readonly string[] SecretFolderVariables = ["BAOMING_SECRETS_DIR", "CREDENTIALS_DIRECTORY"];

    /// <summary>Log levels of chatty libraries: their warnings and errors still show.</summary>
    private static readonly Dictionary<string, string?> LoggingDefaults = new()
    {
        ["Logging:LogLevel:System.Net.Http"] = "Warning",
        // Hangfire narrates every poll at Information.
        ["Logging:LogLevel:Hangfire"] = "Warning",
        // ASP.NET Core logs every request at Information; the lifetime lines (listening on …) stay.
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
    };

    /// <summary>
    /// Configuration, later sources winning: an operator's <c>appsettings.json</c> beside the binary (none
    /// is shipped: the built-in defaults are the options classes' own), <c>appsettings.{Environment}.json</c>,
    /// environment variables (<c>Section__Key</c>), the file named by <c>BAOMING_CONFIG</c> (or
    /// <paramref name="configFile"/>) with the environment again above it, secret files (one key per file) in
    /// the folders named by <c>BAOMING_SECRETS_DIR</c> and systemd's <c>CREDENTIALS_DIRECTORY</c>, then
    /// <paramref name="overrides"/>. <c>Sessions</c> and the other <see cref="ListSettings"/> are never merged:
    /// the last of these sources that sets one gives all of it.
    /// </summary>
    public static HostApplicationBuilder CreateBuilder(IReadOnlyDictionary<string, string?>? overrides = null, bool isShell = false, string? configFile = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
            ApplicationName = "Baoming",
        });
        Configure(builder, overrides, isShell, configFile);
        return builder;
    }

    /// <summary>The builder of <c>run</c>: the same configuration, plus the HTTP endpoints (webhook, health, metrics, dashboard).</summary>
    public static WebApplicationBuilder CreateWebBuilder(IReadOnlyDictionary<string, string?>? overrides = null, string? configFile = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
            ApplicationName = "Baoming",
        });
        Configure(builder, overrides, isShell: false, configFile);
        builder.WebHost.UseUrls(HttpOptions.UrlsOf(builder.Configuration));
        // Updates and dashboard forms are small; anything bigger is not for us.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = 1024 * 1024);
        // Room for the update in hand and a fan-out's last batch (Hangfire's own limit is 20 s) after SIGTERM.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(40));
        return builder;
    }

    private static void Configure(IHostApplicationBuilder builder, IReadOnlyDictionary<string, string?>? overrides, bool isShell, string? configFile)
    {
        if ((configFile ?? Environment.GetEnvironmentVariable("BAOMING_CONFIG")) is { Length: > 0 } file)
        {
            builder.Configuration.AddJsonFile(Path.GetFullPath(file), optional: false, reloadOnChange: false);
            builder.Configuration.AddEnvironmentVariables();
        }

        foreach (var folder in SecretFolderVariables.Select(Environment.GetEnvironmentVariable))
        {
            if (folder is { Length: > 0 })
            {
                // Docker secrets, systemd credentials: the file name is the key (Telegram__BotToken), the content its value.
                builder.Configuration.AddKeyPerFile(Path.GetFullPath(folder), optional: true);
            }
        }

        if (overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }

        // The lowest priority, so any source may raise them (Logging__LogLevel__Hangfire=Information).
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = LoggingDefaults });

        ListSettings.TakeEachFromOneSource(builder.Configuration);

        // One line per event; Logging__Console__FormatterName=json switches to JSON lines, scopes included.
        builder.Logging.AddConsole();
        // (Set here, after the builder's own defaults: the slim web builder fixes "simple" otherwise.)
        var configuration = builder.Configuration;
        builder.Services.Configure<ConsoleLoggerOptions>(o =>
            o.FormatterName = configuration["Logging:Console:FormatterName"] is { Length: > 0 } name ? name : ConsoleFormatterNames.Simple);
        builder.Services.Configure<SimpleConsoleFormatterOptions>(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-dd HH:mm:ss ";
            o.ColorBehavior = LoggerColorBehavior.Disabled;
            o.IncludeScopes = true;
        });
        builder.Services.Configure<JsonConsoleFormatterOptions>(o =>
        {
            o.IncludeScopes = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
        });
        if (isShell)
        {
            // The terminal is a chat: only problems belong in it, and on stderr.
            OnlyProblemsOnStandardError(builder);
        }
    }

    /// <summary>
    /// For verbs whose standard output is data (an export, <c>sessions list</c>) or a chat (the shell):
    /// warnings and errors only, all on standard error.
    /// </summary>
    public static void OnlyProblemsOnStandardError(IHostApplicationBuilder builder)
    {
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
    }

    /// <summary>
    /// The table of contents: the platform, the engine and every feature, each wiring itself. Channels
    /// (<c>AddTelegram</c>, the shell's messenger) and the job server are added by the verbs that use them.
    /// </summary>
    public static IServiceCollection AddBaoming(this IServiceCollection services, IConfiguration configuration, string connectionString)
    {
        services.AddOptionsWithValidateOnStart<TelegramOptions, TelegramOptionsValidator>().BindConfiguration(TelegramOptions.Section)
            .Validate(o => o.Mode != TelegramMode.Webhook || o.WebhookUri is not null,
                "Telegram:WebhookUrl must be the public https URL Telegram posts updates to (e.g. https://bot.example.org/telegram/webhook) when Telegram:Mode is Webhook.")
            .Validate(o => o.Mode != TelegramMode.Webhook || !string.IsNullOrEmpty(o.WebhookSecret),
                "Telegram:WebhookSecret is required when Telegram:Mode is Webhook (1-256 characters of A-Z, a-z, 0-9, _ or -).");
        services.AddOptionsWithValidateOnStart<CommunityOptions, CommunityOptionsValidator>().BindConfiguration(CommunityOptions.Section);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<BotIdentity>();

        // Platform.
        services.AddBaomingMetrics();
        services.AddStorage(connectionString);
        services.AddJobs();
        services.AddFollowUps();
        services.AddDelivery();

        // Engine.
        services.AddMembers();
        services.AddAudit();
        services.AddChat();

        // Features. Their export columns come in this order: a feature added later is added below, so
        // the columns already documented keep their places.
        services.AddSessions(configuration);
        services.AddSignup();
        services.AddExport();
        services.AddReminders();
        services.AddBroadcasts();
        services.AddRoles();
        services.AddNotes();
        services.AddAttendance();
        services.AddQuestions();
        services.AddAfterSession();
        services.AddFeedback();
        services.AddHistory();
        services.AddSources();
        services.AddSeries(configuration);
        services.AddStats();
        return services;
    }

    /// <summary>The Hangfire server and what only a job-running verb does (<c>run</c>; <c>shell</c> on its own database).</summary>
    public static IServiceCollection AddJobRunners(this IServiceCollection services) =>
        services.AddJobServer().AddReminderPlanting().AddAfterSessionPlanting().AddSeriesPlanting();

    /// <summary>Whether the database is Baoming's own private cluster (<c>ConnectionStrings:Postgres</c> empty), not one it was pointed at.</summary>
    public static bool UsesEmbeddedDatabase(IConfiguration configuration) => string.IsNullOrEmpty(configuration.GetConnectionString("Postgres"));

    /// <summary>
    /// The configured connection string, or, when <c>ConnectionStrings:Postgres</c> is empty, the
    /// private embedded cluster (started here; the caller disposes it to stop it).
    /// </summary>
    public static async Task<(string ConnectionString, EmbeddedPostgres? Embedded)> ResolveDatabaseAsync(
        IConfiguration configuration, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (!UsesEmbeddedDatabase(configuration))
        {
            return (configuration.GetConnectionString("Postgres")!, null);
        }

        var options = configuration.GetSection("EmbeddedPostgres").Get<EmbeddedPostgresOptions>() ?? new EmbeddedPostgresOptions();
        var embedded = await EmbeddedPostgres.StartAsync(options, loggers.CreateLogger<EmbeddedPostgres>(), cancellationToken);
        return (embedded.ConnectionString, embedded);
    }

    /// <summary>
    /// Migrations, Hangfire's schema and the configured sessions: waits for the database if it is down. Each
    /// step's time goes into the <see cref="StartupTimeline"/>, and <see cref="DatabaseReadiness"/> says how far
    /// it got (<c>run</c> does this beside polling; the other verbs before anything serves).
    /// </summary>
    public static async Task PrepareDatabaseAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Baoming.Startup");
        var timeline = services.GetRequiredService<StartupTimeline>();
        var readiness = services.GetRequiredService<DatabaseReadiness>();
        try
        {
            await Retry.UntilDoneAsync(services.GetRequiredService<Migrator>().MigrateAsync, logger, cancellationToken);
            readiness.MarkMigrated();
            var begun = StartupTimeline.Begin();
            await Retry.UntilDoneAsync(ct => JobsExtensions.InstallSchemaAsync(services.GetRequiredService<Npgsql.NpgsqlDataSource>(), ct), logger, cancellationToken);
            timeline.Step("hangfire-schema", begun);
            begun = StartupTimeline.Begin();
            await Retry.UntilDoneAsync(services.GetRequiredService<SessionSync>().SyncAsync, logger, cancellationToken);
            timeline.Step("sessions-sync", begun);
            readiness.MarkPrepared();
        }
        catch (Exception e)
        {
            readiness.MarkFailed(e);
            throw;
        }
    }
}

using System.ComponentModel.DataAnnotations;
using Baoming.Platform;
using Baoming.Storage;
using Dapper;
using Hangfire;
using Hangfire.PostgreSql;
using Npgsql;

namespace Baoming.Jobs;

public sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary>How often the scheduler looks for due jobs: reminders go out within about this much of their time.</summary>
    [SettingRange("00:00:00.100", "00:01:00", ErrorMessage = "Jobs:SchedulePollingInterval must be between 0.1 s and 1 min.")]
    public TimeSpan SchedulePollingInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a job of a vanished server stays invisible before another server takes it over
    /// (sliding: a live server keeps extending it). Short, so a crashed fan-out resumes soon.
    /// </summary>
    [SettingRange("00:00:05", "01:00:00", ErrorMessage = "Jobs:InvisibilityTimeout must be between 5 s and 1 h.")]
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromMinutes(2);

    [SettingRange(1, 100, ErrorMessage = "Jobs:WorkerCount must be between 1 and 100.")]
    public int WorkerCount { get; set; } = 8;
}

[OptionsValidator]
public sealed partial class JobsOptionsValidator : IValidateOptions<JobsOptions>;

public static class JobsExtensions
{
    private const string Schema = "hangfire";

    /// <summary>Hangfire's tables, created or upgraded in their own schema (safe with several instances starting at once).</summary>
    public static async Task InstallSchemaAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // Under the migrations' lock: instances starting together install one at a time.
        await AdvisoryLocks.HoldingAsync(connection, AdvisoryLocks.Migrations, _ =>
        {
            PostgreSqlObjectsInstaller.Install(connection, Schema);
            return Task.FromResult(true);
        }, cancellationToken);
    }

    /// <summary>Hangfire on PostgreSQL (schema <c>hangfire</c>) with the settings this storage needs.</summary>
    public static IServiceCollection AddJobs(this IServiceCollection services)
    {
        services.AddOptionsWithValidateOnStart<JobsOptions, JobsOptionsValidator>().BindConfiguration(JobsOptions.Section);
        // The storage is this host's own singleton, not Hangfire's process-wide JobStorage.Current:
        // with several hosts in one process (the tests) the global one is whichever host configured
        // last, and a job could land in another host's database.
        services.AddSingleton<JobStorage>(provider =>
        {
            var options = provider.GetRequiredService<IOptions<JobsOptions>>().Value;
            var connections = new DataSourceConnectionFactory(provider.GetRequiredService<NpgsqlDataSource>());
            return new PostgreSqlStorage(connections, new PostgreSqlStorageOptions
            {
                SchemaName = Schema,
                // Installed with the migrations (InstallSchemaAsync), so building the storage opens no
                // connection: the web endpoints can be mapped before the database is reachable.
                PrepareSchemaIfNecessary = false,
                // Mandatory here: without it a long fan-out is picked up again by another worker
                // after InvisibilityTimeout while the first run goes on, and sends twice.
                UseSlidingInvisibilityTimeout = true,
                InvisibilityTimeout = options.InvisibilityTimeout,
                // Jobs enqueued by another instance start at once (LISTEN/NOTIFY), not at the next poll.
                EnableLongPolling = true,
                QueuePollInterval = TimeSpan.FromSeconds(1),
                DistributedLockTimeout = TimeSpan.FromMinutes(1),
            });
        });
        // Likewise the activator: jobs are built by this host's container.
        services.AddSingleton<JobActivator, ScopedJobActivator>();
        services.AddHangfire((provider, configuration) => configuration
            .UseLogProvider(new HostLogProvider(provider.GetRequiredService<ILoggerFactory>()))
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseTypeResolver(MovedJobTypes.Resolve)
            .UseRecommendedSerializerSettings()
            .UseStorage(provider.GetRequiredService<JobStorage>()));
        return services;
    }

    /// <summary>
    /// The Hangfire server, for the verbs that run jobs: <c>run</c>, and <c>shell</c> on its own embedded
    /// database only (on the bot's database its workers would take the bot's reminders and broadcasts).
    /// </summary>
    public static IServiceCollection AddJobServer(this IServiceCollection services)
    {
        services.AddHangfireServer((provider, server) =>
        {
            var options = provider.GetRequiredService<IOptions<JobsOptions>>().Value;
            // The default 15 s poll makes reminders ~9 s late on median; 1 s keeps them on time.
            server.SchedulePollingInterval = options.SchedulePollingInterval;
            server.WorkerCount = options.WorkerCount;
            // This host's container builds the jobs, not the process-wide JobActivator.Current (the
            // last host configured): with several hosts in one process (the tests) a job fetched
            // here would otherwise run against another host's services and database.
            server.Activator = provider.GetRequiredService<JobActivator>();
            server.ShutdownTimeout = TimeSpan.FromSeconds(20);
        });
        return services;
    }
}

/// <summary>
/// Builds each job in its own DI scope of this host, and opens a log scope with the job's id, so every
/// line the job logs says which job it belongs to.
/// </summary>
internal sealed class ScopedJobActivator(IServiceScopeFactory scopes, ILogger<ScopedJobActivator> logger) : JobActivator
{
    private static readonly Func<ILogger, string, IDisposable?> JobScope = LoggerMessage.DefineScope<string>("Job {JobId}");

    public override JobActivatorScope BeginScope(JobActivatorContext context) =>
        new Scope(scopes.CreateScope(), JobScope(logger, context.BackgroundJob.Id));

    private sealed class Scope(IServiceScope services, IDisposable? log) : JobActivatorScope
    {
        public override object Resolve(Type type) => ActivatorUtilities.GetServiceOrCreateInstance(services.ServiceProvider, type);

        public override void DisposeScope()
        {
            log?.Dispose();
            services.Dispose();
        }
    }
}

/// <summary>
/// Hangfire's connections come from the application's one <see cref="NpgsqlDataSource"/>: one pool,
/// one set of settings, and closed with the host.
/// </summary>
internal sealed class DataSourceConnectionFactory(NpgsqlDataSource dataSource) : IConnectionFactory
{
    public NpgsqlConnection GetOrCreateConnection() => dataSource.CreateConnection();
}

/// <summary>
/// Hangfire keeps its log provider in a process-wide static, so the last host built wins. When that
/// host is disposed (tests run several hosts in one process) every later Hangfire logger would throw
/// ObjectDisposedException — even while another host creates its job client. Loggers asked for after
/// that log nothing instead.
/// </summary>
internal sealed class HostLogProvider(ILoggerFactory loggers) : Hangfire.Logging.ILogProvider
{
    private readonly Hangfire.AspNetCore.AspNetCoreLogProvider inner = new Hangfire.AspNetCore.AspNetCoreLogProvider(loggers);

    public Hangfire.Logging.ILog GetLogger(string name)
    {
        try
        {
            return inner.GetLogger(name);
        }
        catch (ObjectDisposedException)
        {
            return Silent.Instance;
        }
    }

    private sealed class Silent : Hangfire.Logging.ILog
    {
        public static readonly Silent Instance = new();

        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }
}

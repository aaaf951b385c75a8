using Baoming.Hosting;
using Baoming.Storage;
using Baoming.Storage.Embedded;
using Microsoft.Extensions.Logging.Console;

namespace Baoming.Hosting;

/// <summary>
/// The common life of a verb: configuration, the database (embedded when none is configured),
/// the host, migrations; then the verb's own work. Configuration and start-up problems end with one
/// clear line on stderr and exit code 2, never a stack trace.
/// </summary>
internal static partial class HostRunner
{
    public const int ConfigurationError = 2;

    /// <summary>The host stopped because something in it failed: systemd's Restart=on-failure and Docker's restart policies start it again.</summary>
    public const int Failure = 1;

    /// <summary>
    /// How a host that has stopped ends: <see cref="Failure"/> when a background service ended with an
    /// exception (the host stops itself then, and a plain return would say 0), else 0.
    /// </summary>
    public static int ExitCodeOf(IHost host)
    {
        var failed = host.Services.GetServices<IHostedService>().OfType<BackgroundService>().Where(s => s.ExecuteTask is { IsFaulted: true }).ToList();
        foreach (var service in failed)
        {
            // The host logged the exception already; this line is for whoever reads only the end of the output.
            Console.Error.WriteLine($"Baoming stopped: {StartupOrder.Unwrap(service).GetType().Name} failed: {service.ExecuteTask!.Exception!.GetBaseException().Message}");
        }

        return failed.Count > 0 ? Failure : 0;
    }

    public static Task<int> RunAsync(
        HostApplicationBuilder builder,
        Action<HostApplicationBuilder> addChannel,
        Func<IHost, CancellationToken, Task<int>> work,
        CancellationToken cancellationToken) =>
        RunAsync(builder, addChannel, work, connection: null, cancellationToken);

    /// <summary>As above; <paramref name="connection"/> adjusts the connection string the host uses (the shell's audit attribution).</summary>
    public static Task<int> RunAsync(
        HostApplicationBuilder builder,
        Action<HostApplicationBuilder> addChannel,
        Func<IHost, CancellationToken, Task<int>> work,
        Func<string, string>? connection,
        CancellationToken cancellationToken) =>
        RunAsync(builder, b =>
        {
            addChannel(b);
            return b.Build();
        }, work, connection, prepareBeside: false, cancellationToken);

    /// <summary><paramref name="build"/> adds the verb's channel (Telegram, the terminal, nothing) and builds the host.</summary>
    public static Task<int> RunAsync<TBuilder>(
        TBuilder builder,
        Func<TBuilder, IHost> build,
        Func<IHost, CancellationToken, Task<int>> work,
        CancellationToken cancellationToken)
        where TBuilder : IHostApplicationBuilder =>
        RunAsync(builder, build, work, connection: null, prepareBeside: false, cancellationToken);

    /// <summary>
    /// As above, but <paramref name="work"/> (starting the host) begins at once, while the database is prepared
    /// beside it: <c>run</c> polls and answers the webhook meanwhile (<see cref="DatabaseReadiness"/>,
    /// <see cref="StartupOrder"/>). A preparation that fails for good stops the host with <see cref="Failure"/>.
    /// </summary>
    public static Task<int> RunPreparingBesideAsync<TBuilder>(
        TBuilder builder,
        Func<TBuilder, IHost> build,
        Func<IHost, CancellationToken, Task<int>> work,
        CancellationToken cancellationToken)
        where TBuilder : IHostApplicationBuilder =>
        RunAsync(builder, build, work, connection: null, prepareBeside: true, cancellationToken);

    private static async Task<int> RunAsync<TBuilder>(
        TBuilder builder,
        Func<TBuilder, IHost> build,
        Func<IHost, CancellationToken, Task<int>> work,
        Func<string, string>? connection,
        bool prepareBeside,
        CancellationToken cancellationToken)
        where TBuilder : IHostApplicationBuilder
    {
        var timeline = StartupTimeline.OfThisProcess();
        EmbeddedPostgres? embedded = null;
        try
        {
            // Before anything starts: a misspelt key would otherwise leave its default in force without a word.
            UnknownSettings.ThrowIfAny(builder.Configuration);
            timeline.StepFromProcessStart("runtime-and-configuration");
            var begun = StartupTimeline.Begin();
            using (var startupLoggers = LoggerFactory.Create(logging => logging
                .SetMinimumLevel(LogLevel.Warning)
                .AddSimpleConsole(o => o.SingleLine = true)
                .Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace)))
            {
                (var connectionString, embedded) = await BaomingHost.ResolveDatabaseAsync(builder.Configuration, startupLoggers, cancellationToken);
                timeline.Step(embedded is null ? "database-settings" : "embedded-cluster", begun);
                // Registered before the host's own: this timeline began with the process, not with the host.
                builder.Services.AddSingleton(sp => timeline.Attach(sp.GetRequiredService<ILoggerFactory>()));
                builder.Services.AddBaoming(builder.Configuration, connection is null ? connectionString : connection(connectionString));
            }

            begun = StartupTimeline.Begin();
            using var host = build(builder);
            timeline.Step("host-build", begun);
            begun = StartupTimeline.Begin();
            // Settings first: a wrong key should be reported before anything waits for the database.
            host.Services.GetRequiredService<IStartupValidator>().Validate();
            timeline.Step("options-validation", begun);
            if (!prepareBeside)
            {
                await BaomingHost.PrepareDatabaseAsync(host.Services, cancellationToken);
                return await work(host, cancellationToken);
            }

            return await WorkWhilePreparingAsync(host, work, cancellationToken);
        }
        catch (OptionsValidationException e)
        {
            await Console.Error.WriteLineAsync("Configuration error: " + string.Join(" ", e.Failures));
            return ConfigurationError;
        }
        catch (EmbeddedPostgresException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return ConfigurationError;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 130;
        }
        finally
        {
            if (embedded is not null)
            {
                await embedded.DisposeAsync();
            }
        }
    }

    private static async Task<int> WorkWhilePreparingAsync(IHost host, Func<IHost, CancellationToken, Task<int>> work, CancellationToken cancellationToken)
    {
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Baoming.Startup");
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
        Exception? failure = null;
        // On the thread pool: the host's start (intake first) goes on at once on this thread.
        var preparing = Task.Run(async () =>
        {
            try
            {
                await BaomingHost.PrepareDatabaseAsync(host.Services, stopping.Token);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                // Stopped before the database was ready: nothing was handled, the inbox keeps what came.
            }
            catch (Exception e)
            {
                failure = e;
                LogPreparingFailed(logger, e);
                lifetime.StopApplication();
            }
        }, CancellationToken.None);

        int code;
        try
        {
            code = await work(host, cancellationToken);
        }
        finally
        {
            await stopping.CancelAsync();
            await preparing;
        }

        if (failure is not null)
        {
            await Console.Error.WriteLineAsync($"Baoming stopped: preparing the database failed: {failure.GetBaseException().Message}");
            return Failure;
        }

        return code;
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Critical, Message = "Preparing the database (migrations, Hangfire's schema, sessions) failed; stopping")]
    private static partial void LogPreparingFailed(ILogger logger, Exception exception);
}

using Baoming.Storage;
using Baoming.Telegram.Intake;

namespace Baoming.Hosting;

/// <summary>
/// The order <c>run</c> starts in: intake first (the poller, and the inbox processor, which waits by itself until
/// the database is prepared), then the web server (the webhook answers once an update is stored), while the
/// database is prepared beside them (<see cref="HostRunner"/>). Every other hosted service — the job server,
/// reminder planting, follow-ups, deferred replies, a feature's own — needs the prepared database, so it starts
/// only once <see cref="DatabaseReadiness.WaitPreparedAsync"/> ends. When the database was prepared before the
/// host started (the tests, other verbs) nothing is wrapped: each service is itself and starts in the host's own start.
/// </summary>
internal static class StartupOrder
{
    /// <summary>Intake, started at once and first: the first getUpdates should not wait for anything else.</summary>
    private static readonly Type[] Intake = [typeof(Poller), typeof(InboxProcessor)];

    public static void Apply(IServiceCollection services)
    {
        var hosted = services.Where(d => d.ServiceType == typeof(IHostedService) && !d.IsKeyedService).ToList();
        foreach (var descriptor in hosted)
        {
            services.Remove(descriptor);
        }

        var first = hosted.Where(d => Intake.Contains(ImplementationTypeOf(d))).OrderBy(d => Array.IndexOf(Intake, ImplementationTypeOf(d)));
        var rest = hosted.Where(d => !Intake.Contains(ImplementationTypeOf(d)));
        var at = 0;
        foreach (var descriptor in first)
        {
            services.Insert(at++, descriptor);
        }

        foreach (var descriptor in rest)
        {
            // The web server itself (added by the web builder) serves the webhook and health from the start.
            services.Add(IsWebServer(descriptor) || ImplementationTypeOf(descriptor) is null ? descriptor : Deferred(descriptor));
        }
    }

    /// <summary>The hosted service behind a wrapper, for messages that name it.</summary>
    public static object Unwrap(IHostedService service) => service is AfterDatabasePrepared deferred ? deferred.Inner : service;

    private static bool IsWebServer(ServiceDescriptor descriptor) =>
        ImplementationTypeOf(descriptor)?.Namespace?.StartsWith("Microsoft.AspNetCore.Hosting", StringComparison.Ordinal) == true;

    private static ServiceDescriptor Deferred(ServiceDescriptor descriptor) =>
        new(typeof(IHostedService), provider =>
        {
            var (inner, owned) = descriptor switch
            {
                { ImplementationInstance: IHostedService instance } => (instance, false),
                { ImplementationFactory: { } factory } => ((IHostedService)factory(provider), true),
                _ => ((IHostedService)ActivatorUtilities.CreateInstance(provider, descriptor.ImplementationType!), true),
            };
            // Resolved when the host starts: prepared by then (the tests, other verbs), the service is itself, as unwrapped.
            var readiness = provider.GetRequiredService<DatabaseReadiness>();
            return readiness.IsPrepared ? inner : new AfterDatabasePrepared(inner, owned, readiness);
        }, descriptor.Lifetime);

    /// <summary>As the container itself tells registrations apart: a factory's declared result type.</summary>
    private static Type? ImplementationTypeOf(ServiceDescriptor descriptor) =>
        descriptor.ImplementationType
        ?? descriptor.ImplementationInstance?.GetType()
        ?? (descriptor.ImplementationFactory?.GetType().GenericTypeArguments is [_, var result] ? result : null);
}

/// <summary>
/// A hosted service started once the database is prepared. A background service itself, so the host watches it
/// as it would the service inside: if that one fails, the host logs it and stops.
/// </summary>
internal sealed class AfterDatabasePrepared(IHostedService inner, bool ownsInner, DatabaseReadiness readiness) : BackgroundService, IAsyncDisposable
{
    private volatile bool innerStarted;

    public IHostedService Inner => inner;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Completes at once when the database was prepared before the host started: the inner service then
        // starts inside the host's own start, as it would unwrapped.
        await readiness.WaitPreparedAsync(stoppingToken);
        await inner.StartAsync(stoppingToken);
        innerStarted = true;
        try
        {
            if (inner is BackgroundService { ExecuteTask: { } running })
            {
                // Its failure becomes ours, which the host reports and stops on.
                await running.WaitAsync(stoppingToken);
            }
            else
            {
                await Task.Delay(Timeout.Infinite, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (innerStarted)
        {
            await inner.StopAsync(cancellationToken);
        }
    }

    public override void Dispose()
    {
        base.Dispose();
        // Made by this wrapper's registration, so the container does not know to dispose it.
        if (ownsInner && inner is IDisposable disposable)
        {
            disposable.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (ownsInner && inner is IAsyncDisposable asyncDisposable)
        {
            base.Dispose();
            await asyncDisposable.DisposeAsync();
        }
        else
        {
            Dispose();
        }
    }
}

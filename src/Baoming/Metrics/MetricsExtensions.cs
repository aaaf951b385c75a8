using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Baoming.Metrics;

public static class MetricsExtensions
{
    /// <summary>The counters (<see cref="BaomingMetrics"/>) and their exporter. Safe to call twice.</summary>
    public static IServiceCollection AddBaomingMetrics(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton<BaomingMetrics>();
        services.TryAddSingleton<DatabaseGauges>();
        services.TryAddSingleton<MetricsExporter>();
        return services;
    }

    /// <summary><c>GET /metrics</c> in Prometheus text format 0.0.4.</summary>
    public static IEndpointConventionBuilder MapBaomingMetrics(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/metrics", async (MetricsExporter exporter, CancellationToken cancellationToken) =>
            Results.Text(await exporter.RenderAsync(cancellationToken), PrometheusText.ContentType));
}

using Baoming.Chat;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Baoming.Stats;

/// <summary>Registers the insights of issue 18: <c>/stats</c>, its counts and its charts.</summary>
public static class StatsExtensions
{
    /// <summary>
    /// <c>/stats [KEY]</c> (organizers): the counting repository, the chart drawer and the command. Safe to call twice:
    /// the <c>stats</c> verb calls it for itself, whatever the host already added.
    /// </summary>
    public static IServiceCollection AddStats(this IServiceCollection services)
    {
        services.TryAddSingleton<StatsRepository>();
        services.TryAddSingleton<StatsChart>();
        services.TryAddSingleton<StatsReport>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IChatCommand, StatsChatCommand>());
        return services;
    }
}

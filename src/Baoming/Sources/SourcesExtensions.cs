using Baoming.Export;

namespace Baoming.Sources;

/// <summary>Registers where sign-ups come from: today the <c>source</c> export column (deep links carry the source into the registration).</summary>
public static class SourcesExtensions
{
    public static IServiceCollection AddSources(this IServiceCollection services) =>
        services.AddSingleton<IExportColumnSource, SourceExportColumns>();
}

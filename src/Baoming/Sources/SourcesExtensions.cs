using Baoming.Chat;
using Baoming.Export;

namespace Baoming.Sources;

/// <summary>
/// Registers where sign-ups come from: the <c>source</c> export column (deep links carry the source into
/// the registration) and <c>/link KEY SOURCE</c>, which makes such links with their QR codes.
/// </summary>
public static class SourcesExtensions
{
    public static IServiceCollection AddSources(this IServiceCollection services) =>
        services
            .AddSingleton<IExportColumnSource, SourceExportColumns>()
            .AddSingleton<IChatCommand, LinkCommand>();
}

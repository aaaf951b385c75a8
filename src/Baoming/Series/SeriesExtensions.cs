using Baoming.Chat;
using Baoming.Delivery;
using Baoming.Export;
using Baoming.Jobs;
using Baoming.Sessions;
using Baoming.Signup;
using Microsoft.Extensions.Configuration;

namespace Baoming.Series;

public static class SeriesExtensions
{
    /// <summary>
    /// Series (issue 18): the top-level <c>Series</c> configuration and <c>Sessions:N:Series</c> (checked at
    /// start-up, synced after the sessions), following by text and button, 我的报名's follows, the invitations
    /// (planned when a session changes; at start-up by <see cref="AddSeriesPlanting"/>), <c>/series</c>,
    /// <c>/newseries</c>, <c>/editsession KEY series</c>, the /sessions line and the <c>series_follow</c> column.
    /// </summary>
    public static IServiceCollection AddSeries(this IServiceCollection services, IConfiguration configuration)
    {
        // Added once even if called twice (a test host that adds it before the host does).
        if (services.Any(d => d.ServiceType == typeof(SeriesRepository)))
        {
            return services;
        }

        services.AddOptionsWithValidateOnStart<SeriesCatalogOptions, SeriesCatalogOptionsValidator>()
            .Configure(o => configuration.GetSection("Series").Bind(o.Series))
            .Validate(o => o.Series.Select(s => s.Key).Distinct(StringComparer.Ordinal).Count() == o.Series.Count,
                "Series: every Key must be unique.");
        services.AddSingleton<IValidateOptions<SessionCatalogOptions>, SeriesReferenceValidator>();
        services.AddSingleton<SeriesRepository>();
        services.AddSingleton<ISessionConfigHook, SeriesConfigSync>();

        services.AddSingleton<IIntentHandler, SeriesIntentHandler>();
        services.AddSingleton<IButtonHandler, FollowButton>();
        services.AddSingleton<IButtonHandler, UnfollowButton>();
        services.AddSingleton<ISignupFollowOn, SeriesFollowOn>();

        services.AddSingleton<InvitationStore>();
        services.AddSingleton<InvitationScheduler>();
        services.AddSingleton<ISessionChangeHook>(sp => sp.GetRequiredService<InvitationScheduler>());
        services.AddSingleton<ITopic, InvitationTopic>();

        services.AddSingleton<ISessionEditField, SeriesEditField>();
        services.AddSingleton<IChatCommand, SeriesCommand>();
        services.AddSingleton<IChatCommand, NewSeriesCommand>();
        services.AddSingleton<ISessionFacts, SeriesFacts>();
        services.AddSingleton<IExportColumnSource, SeriesExportColumns>();
        return services;
    }

    /// <summary>Plants every invitation still to go at start-up and every few minutes: for the verbs that run jobs (like <c>AddAfterSessionPlanting</c>).</summary>
    public static IServiceCollection AddSeriesPlanting(this IServiceCollection services) =>
        services.AddPlanningRounds<InvitationScheduler>();
}

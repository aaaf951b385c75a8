using Baoming.Delivery;
using Baoming.Jobs;
using Baoming.Sessions;

namespace Baoming.AfterSession;

public static class AfterSessionExtensions
{
    /// <summary>
    /// After the session: the follow-up texts (configuration, checked at start-up, and <c>/editsession</c>), the
    /// run a set time after each session's end (re-planted when a session changes; at start-up by
    /// <see cref="AddAfterSessionPlanting"/>), its topic and its export column.
    /// </summary>
    public static IServiceCollection AddAfterSession(this IServiceCollection services)
    {
        services.AddOptionsWithValidateOnStart<AfterSessionOptions, AfterSessionOptionsValidator>().BindConfiguration(AfterSessionOptions.Section);
        services.AddSingleton<AfterSessionStore>();
        services.AddSingleton<AfterSessionScheduler>();
        services.AddSingleton<ISessionChangeHook>(sp => sp.GetRequiredService<AfterSessionScheduler>());

        services.AddSingleton<FollowUpConfig>();
        services.AddSingleton<ISessionConfigHook>(sp => sp.GetRequiredService<FollowUpConfig>());
        services.AddSingleton<IValidateOptions<SessionCatalogOptions>, FollowUpConfigValidator>();
        services.AddSingleton<ISessionEditField>(sp => ActivatorUtilities.CreateInstance<FollowUpEditField>(sp, true));
        services.AddSingleton<ISessionEditField>(sp => ActivatorUtilities.CreateInstance<FollowUpEditField>(sp, false));

        services.AddSingleton<ISessionFacts, FollowUpFacts>();
        services.AddSingleton<ITopic, FollowUpTopic>();
        services.AddSingleton<Export.IExportColumnSource, FollowUpExportColumns>();
        return services;
    }

    /// <summary>Plants every session's after-session job at start-up and every few minutes: for the verbs that run jobs (like <c>AddReminderPlanting</c>).</summary>
    public static IServiceCollection AddAfterSessionPlanting(this IServiceCollection services) =>
        services.AddPlanningRounds<AfterSessionScheduler>();
}

using Baoming.Chat;
using Baoming.Delivery;
using Microsoft.Extensions.Configuration;

namespace Baoming.Sessions;

public static class SessionsExtensions
{
    /// <summary>
    /// Sessions: the catalog (configuration, synced at start-up), the repository, the lifecycle (moves and
    /// cancellations and their notices) and the organizers' commands.
    /// </summary>
    public static IServiceCollection AddSessions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptionsWithValidateOnStart<SessionCatalogOptions, SessionCatalogOptionsValidator>()
            .Configure(o => configuration.GetSection("Sessions").Bind(o.Sessions))
            .Validate(o => o.Sessions.Select(s => s.Key).Distinct(StringComparer.Ordinal).Count() == o.Sessions.Count,
                "Sessions: every Key must be unique.");
        services.AddSingleton<SessionRepository>();
        services.AddSingleton<SessionSync>();
        services.AddSingleton<SessionLifecycle>();
        services.AddSingleton<ITopic, SessionMovedTopic>();
        services.AddSingleton<ITopic, SessionCancelledTopic>();
        services.AddSingleton<FollowUps.IFollowUpHandler, SessionFollowUps>();

        services.AddSingleton<IChatCommand, SessionsCommand>();
        services.AddSingleton<IChatCommand, NewSessionCommand>();
        services.AddSingleton<IChatCommand, EditSessionCommand>();
        services.AddSingleton<IChatCommand, CancelSessionCommand>();
        services.AddSingleton<IButtonHandler, CancelSessionButton>();
        return services;
    }
}

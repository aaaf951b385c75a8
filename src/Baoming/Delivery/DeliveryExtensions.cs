using Baoming.Reminders;
using Baoming.Sessions;

namespace Baoming.Delivery;

public static class DeliveryExtensions
{
    /// <summary>The shared sending path (ledger, global rate limiter, fan-out) and the reminder topics on it.</summary>
    public static IServiceCollection AddDelivery(this IServiceCollection services)
    {
        services.AddOptions<RemindersOptions>().BindConfiguration(RemindersOptions.Section);
        services.AddSingleton<DeliveryLedger>();
        services.AddSingleton<RateLimiter>();
        services.AddSingleton<FanOut>();
        services.AddSingleton<OrganizerReports>();
        services.AddSingleton<ITopic, ReminderTopic>();
        services.AddSingleton<ITopic, SessionMovedTopic>();
        services.AddSingleton<ITopic, SessionCancelledTopic>();
        services.AddSingleton<ITopic, Signup.PromotionTopic>();
        services.AddSingleton<FollowUps.IFollowUpHandler, Jobs.FanOutFollowUps>();
        services.AddSingleton<ReminderScheduler>();
        services.AddSingleton<Export.IExportColumnSource, ReminderExportColumns>();
        services.AddSingleton<SessionLifecycle>();
        services.AddSingleton<FollowUps.IFollowUpHandler, SessionFollowUps>();
        return services;
    }
}

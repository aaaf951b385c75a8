namespace Baoming.Delivery;

public static class DeliveryExtensions
{
    /// <summary>The shared sending path: ledger, global rate limiter, fan-out job and organizer reports. Features add their <see cref="ITopic"/>s.</summary>
    public static IServiceCollection AddDelivery(this IServiceCollection services)
    {
        services.AddOptionsWithValidateOnStart<SendRateOptions, SendRateOptionsValidator>().BindConfiguration(SendRateOptions.Section);
        services.AddSingleton<DeliveryLedger>();
        services.AddSingleton<RateLimiter>();
        services.AddSingleton<FanOut>();
        services.AddSingleton<OrganizerReports>();
        services.AddSingleton<FollowUps.IFollowUpHandler, FanOutFollowUps>();
        return services;
    }
}

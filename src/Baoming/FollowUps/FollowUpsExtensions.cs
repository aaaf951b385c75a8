namespace Baoming.FollowUps;

public static class FollowUpsExtensions
{
    /// <summary>The outbox and its runner; each feature registers its own <see cref="IFollowUpHandler"/>s.</summary>
    public static IServiceCollection AddFollowUps(this IServiceCollection services)
    {
        services.AddSingleton<FollowUps>();
        services.AddHostedService<FollowUpRunner>();
        return services;
    }
}

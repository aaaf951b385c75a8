using Baoming.Chat;
using Baoming.Delivery;
using Baoming.Sessions;

namespace Baoming.Signup;

public static class SignupExtensions
{
    /// <summary>Readers' sign-ups: their conversation, the registrations (seats, waitlist, promotions) and the promotion notices.</summary>
    public static IServiceCollection AddSignup(this IServiceCollection services)
    {
        services.AddSingleton<RegistrationRepository>();
        services.AddSingleton<ISessionSeats>(sp => sp.GetRequiredService<RegistrationRepository>());
        services.AddSingleton<ITopic, PromotionTopic>();
        services.AddSingleton<IReaderConversation, ReaderConversation>();
        return services;
    }
}

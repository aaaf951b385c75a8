using Baoming.Chat;
using Baoming.Delivery;
using Baoming.Sessions;

namespace Baoming.Signup;

public static class SignupExtensions
{
    /// <summary>Readers' sign-ups: their conversation, the batcher that groups them, the registrations' store (seats, waitlist, promotions) and the promotion notices.</summary>
    public static IServiceCollection AddSignup(this IServiceCollection services)
    {
        services.AddSingleton<RegistrationStore>();
        services.AddSingleton<ISessionSeats>(sp => sp.GetRequiredService<RegistrationStore>());
        services.AddSingleton<SignupBatcher>();
        services.AddSingleton<ITopic, PromotionTopic>();
        services.AddSingleton<IReaderConversation, ReaderConversation>();
        return services;
    }
}

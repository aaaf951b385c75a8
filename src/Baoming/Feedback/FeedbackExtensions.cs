using Baoming.Chat;
using Baoming.Delivery;
using Baoming.Export;
using Baoming.Sessions;

namespace Baoming.Feedback;

/// <summary>Registers the feedback after a session: the request to attendees and its answers, and the results for organizers.</summary>
public static class FeedbackExtensions
{
    /// <summary>
    /// The "feedback:ID" topic (enqueued by AfterSession), its buttons and comment dialogue (readers), <c>/feedback</c>,
    /// the <c>/sessions</c> line and the export columns (organizers), and the delayed results report.
    /// </summary>
    public static IServiceCollection AddFeedback(this IServiceCollection services)
    {
        services.AddSingleton<FeedbackRepository>();
        services.AddSingleton<ITopic, FeedbackTopic>();
        services.AddSingleton<IButtonHandler, FeedbackButton>();
        services.AddSingleton<IDialogueHandler, FeedbackCommentDialogue>();
        services.AddSingleton<IChatCommand, FeedbackCommand>();
        services.AddSingleton<ISessionFacts, FeedbackFacts>();
        services.AddSingleton<IExportColumnSource, FeedbackExportColumns>();
        return services;
    }
}

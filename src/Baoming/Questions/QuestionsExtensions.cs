using Baoming.Chat;
using Baoming.Export;
using Baoming.Sessions;
using Baoming.Signup;

namespace Baoming.Questions;

/// <summary>Registers the questions at sign-up.</summary>
public static class QuestionsExtensions
{
    /// <summary>
    /// Questions at sign-up: their configuration check and sync, <c>/editsession KEY questions …</c>, the
    /// questions after a new sign-up (dialogue and buttons), 修改回答 under 我的报名, the export columns,
    /// <c>/answers KEY</c> and a line per session in <c>/sessions</c>.
    /// </summary>
    public static IServiceCollection AddQuestions(this IServiceCollection services)
    {
        services.AddSingleton<IValidateOptions<SessionCatalogOptions>, QuestionOptionsValidator>();
        services.AddSingleton<QuestionRepository>();
        services.AddSingleton<QuestionFlow>();
        services.AddSingleton<ISessionConfigHook, QuestionConfigSync>();
        services.AddSingleton<ISessionEditField, QuestionsEditField>();
        services.AddSingleton<ISignupFollowOn, QuestionFollowOn>();
        services.AddSingleton<IDialogueHandler, QuestionDialogue>();
        services.AddSingleton<IButtonHandler, QuestionButtons>();
        services.AddSingleton<IExportColumnSource, QuestionExportColumns>();
        services.AddSingleton<IChatCommand, AnswersCommand>();
        services.AddSingleton<ISessionFacts, QuestionFacts>();
        return services;
    }
}

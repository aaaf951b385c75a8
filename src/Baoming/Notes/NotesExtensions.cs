using Baoming.Chat;
using Baoming.Delivery;

namespace Baoming.Notes;

/// <summary>Registers the notes feature: a reader's word to the organizers and their answer.</summary>
public static class NotesExtensions
{
    /// <summary>"留言 …" / "建议 …" (everyone), the 回复 button, its dialogue and <c>/inbox</c> (organizers), and both topics.</summary>
    public static IServiceCollection AddNotes(this IServiceCollection services)
    {
        services.AddSingleton<NoteRepository>();
        services.AddSingleton<NoteSubmission>();
        services.AddSingleton<ITopic, NoteTopic>();
        services.AddSingleton<ITopic, NoteAnswerTopic>();
        services.AddSingleton<IIntentHandler, NoteIntentHandler>();
        services.AddSingleton<IDialogueHandler, NoteTextDialogue>();
        services.AddSingleton<IButtonHandler, AnswerButton>();
        services.AddSingleton<IDialogueHandler, NoteAnswerDialogue>();
        services.AddSingleton<IChatCommand, InboxCommand>();
        return services;
    }
}

using Baoming.Chat;
using Baoming.Export;
using Baoming.Platform;
using Baoming.Sessions;

namespace Baoming.Attendance;

/// <summary>Registers attendance: personal join links and their clicks, 我已入会, imports, and the show rate.</summary>
public static class AttendanceExtensions
{
    public static IServiceCollection AddAttendance(this IServiceCollection services)
    {
        // Http:PublicUrl decides whether links are personal in every host (the shell and the CLI too, which
        // do not validate the rest of Http:); binding the section again beside BotWeb's is harmless.
        services.AddOptions<HttpOptions>().BindConfiguration(HttpOptions.Section);
        services.AddSingleton<JoinLinks>();
        services.AddSingleton<IMemberJoinUrl>(sp => sp.GetRequiredService<JoinLinks>());
        services.AddSingleton<JoinClicks>();
        services.AddSingleton<AttendanceStore>();
        services.AddSingleton<AttendanceImport>();
        services.AddSingleton<IButtonHandler, JoinedButton>();
        services.AddSingleton<IChatCommand, AttendanceCommand>();
        services.AddSingleton<IDialogueHandler, AttendanceFileDialogue>();
        services.AddSingleton<ISessionFacts, AttendanceFacts>();
        services.AddSingleton<IExportColumnSource, AttendanceExportColumns>();
        return services;
    }
}

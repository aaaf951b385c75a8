using Baoming.Delivery;
using Baoming.Sessions;

namespace Baoming.Reminders;

public static class RemindersExtensions
{
    /// <summary>Reminders before each session: the slots' jobs (re-planted when a session changes), their topic and export columns.</summary>
    public static IServiceCollection AddReminders(this IServiceCollection services)
    {
        services.AddOptionsWithValidateOnStart<RemindersOptions, RemindersOptionsValidator>().BindConfiguration(RemindersOptions.Section);
        services.AddSingleton<ReminderScheduler>();
        services.AddSingleton<ISessionChangeHook>(sp => sp.GetRequiredService<ReminderScheduler>());
        services.AddSingleton<ITopic, ReminderTopic>();
        services.AddSingleton<Export.IExportColumnSource, ReminderExportColumns>();
        return services;
    }

    /// <summary>For the verbs that run jobs: every session's reminder jobs planted once the host is up.</summary>
    public static IServiceCollection AddReminderPlanting(this IServiceCollection services) =>
        services.AddHostedService<ReminderStartup>();
}

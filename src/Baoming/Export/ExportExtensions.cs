using Baoming.Chat;

namespace Baoming.Export;

public static class ExportExtensions
{
    /// <summary>Attendee exports: the streaming reader and writer, <c>/export</c> and its buttons.</summary>
    public static IServiceCollection AddExport(this IServiceCollection services)
    {
        services.AddSingleton<ExportReader>();
        services.AddSingleton<Exporter>();
        services.AddSingleton<ExportLimits>();
        services.AddSingleton<IChatCommand, ExportChatCommand>();
        services.AddSingleton<IButtonHandler, ExportSessionButton>();
        services.AddSingleton<IButtonHandler, ExportFormatButton>();
        return services;
    }
}

using Baoming.Chat;
using Baoming.Export;

namespace Baoming.History;

/// <summary>Registers member history: what a member signed up for and how each ended.</summary>
public static class HistoryExtensions
{
    /// <summary><c>/member</c> (organizers) and the member totals of the all-sessions export.</summary>
    public static IServiceCollection AddHistory(this IServiceCollection services)
    {
        services.AddSingleton<HistoryRepository>();
        services.AddSingleton<IChatCommand, MemberCommand>();
        services.AddSingleton<IExportColumnSource, HistoryExportColumns>();
        return services;
    }
}

namespace Baoming.Audit;

public static class AuditExtensions
{
    /// <summary>The audit trail every organizer and admin action writes to.</summary>
    public static IServiceCollection AddAudit(this IServiceCollection services) =>
        services.AddSingleton<AuditLog>();
}

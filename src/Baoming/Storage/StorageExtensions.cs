using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace Baoming.Storage;

public static class StorageExtensions
{
    /// <summary>
    /// One <see cref="NpgsqlDataSource"/> for the whole process, the migrations and the retention job;
    /// each feature registers its own repositories.
    /// </summary>
    public static IServiceCollection AddStorage(this IServiceCollection services, string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        // Sign-up bursts open many short transactions at once; the default pool of 100 is plenty,
        // but never let an operator's string silently turn pooling off.
        builder.Pooling = true;
        builder.ApplicationName ??= "baoming";

        services.AddSingleton(_ => new NpgsqlDataSourceBuilder(builder.ConnectionString).Build());
        services.AddSingleton<Migrator>();
        services.AddSingleton<DatabaseReadiness>();
        // The verbs' runner registers the process's own timeline first (it began before the host); hosts built
        // otherwise (the tests) get one here.
        services.TryAddSingleton(sp => StartupTimeline.OfThisProcess().Attach(sp.GetRequiredService<ILoggerFactory>()));
        services.AddOptionsWithValidateOnStart<RetentionOptions, RetentionOptionsValidator>().BindConfiguration(RetentionOptions.Section);
        services.AddTransient<RetentionJob>();
        return services;
    }

    /// <summary>
    /// Plants <see cref="RetentionJob"/> as a daily recurring job at start, for the host that runs the
    /// bot (the other verbs only share its database).
    /// </summary>
    public static IServiceCollection AddRetentionSchedule(this IServiceCollection services) =>
        services.AddHostedService<RetentionSchedule>();
}

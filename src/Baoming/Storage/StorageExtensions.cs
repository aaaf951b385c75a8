using Npgsql;

namespace Baoming.Storage;

public static class StorageExtensions
{
    /// <summary>One <see cref="NpgsqlDataSource"/> for the whole process, and the migrations; each feature registers its own repositories.</summary>
    public static IServiceCollection AddStorage(this IServiceCollection services, string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        // Sign-up bursts open many short transactions at once; the default pool of 100 is plenty,
        // but never let an operator's string silently turn pooling off.
        builder.Pooling = true;
        builder.ApplicationName ??= "baoming";

        services.AddSingleton(_ => new NpgsqlDataSourceBuilder(builder.ConnectionString).Build());
        services.AddSingleton<Migrator>();
        return services;
    }
}

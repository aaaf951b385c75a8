using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Npgsql;

namespace Baoming.Web;

/// <summary>
/// ASP.NET Core Data Protection's key ring in PostgreSQL (<c>data_protection_keys</c>), so that what one
/// instance protects (antiforgery tokens on Hangfire's retry and delete forms) another one reads, and
/// a restart reads what came before. Left to itself, each instance keeps its own key in memory.
/// </summary>
public static class DataProtectionKeys
{
    /// <summary>The same name on every instance: it is part of every key's purpose, so it must match.</summary>
    public const string ApplicationName = "Baoming";

    public static IServiceCollection AddPostgresDataProtection(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName(ApplicationName);
        services.AddSingleton<PostgresXmlRepository>();
        // The keys are stored unencrypted (Data Protection warns once when it makes one): they are as
        // secret as the rest of the database, and anyone who can read it reads the jobs anyway.
        services.AddOptions<KeyManagementOptions>()
            .Configure<PostgresXmlRepository>((options, repository) => options.XmlRepository = repository);
        return services;
    }
}

/// <summary>The key ring's elements, one row each; Data Protection only ever reads them all and adds one.</summary>
public sealed class PostgresXmlRepository(NpgsqlDataSource dataSource) : IXmlRepository
{
    // IXmlRepository is synchronous; the key ring is read at the first use and then about once a day.
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        const string Sql = "select xml from data_protection_keys order by id";
        using var connection = dataSource.OpenConnection();
        return [.. connection.Query<string>(Sql).Select(xml => XElement.Parse(xml))];
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        const string Sql = "insert into data_protection_keys (friendly_name, xml) values (@friendlyName, @xml)";
        using var connection = dataSource.OpenConnection();
        connection.Execute(Sql, new { friendlyName, xml = element.ToString(SaveOptions.DisableFormatting) });
    }
}

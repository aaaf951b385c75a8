using System.Text.RegularExpressions;
using Dapper;
using Npgsql;

namespace Baoming.Tests.Infrastructure;

/// <summary>What a column's CHECK constraint allows, as the database holds it after every migration.</summary>
public static partial class CheckConstraints
{
    /// <summary>
    /// The quoted values of <paramref name="table"/>.<paramref name="column"/>'s CHECK constraint, read from
    /// <c>pg_get_constraintdef</c>, e.g. <c>CHECK ((state = ANY (ARRAY['pending'::text, 'sending'::text, ...])))</c>.
    /// </summary>
    public static async Task<IReadOnlySet<string>> AllowedValuesAsync(NpgsqlConnection connection, string table, string column)
    {
        var definition = await connection.QuerySingleAsync<string>("""
            select pg_get_constraintdef(c.oid)
              from pg_constraint c join pg_attribute a on a.attrelid = c.conrelid and a.attnum = any(c.conkey)
             where c.conrelid = @table::regclass and c.contype = 'c' and a.attname = @column
            """, new { table, column });
        return QuotedValue().Matches(definition).Select(m => m.Groups["value"].Value).ToHashSet();
    }

    [GeneratedRegex(@"'(?<value>[a-z_]+)'::text")]
    private static partial Regex QuotedValue();
}

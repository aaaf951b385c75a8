using Dapper;
using Npgsql;

namespace Baoming.Tests.Reminders;

/// <summary>Registrants written straight into the database, for fan-outs larger than a chat test would type.</summary>
public static class ReminderData
{
    public static async Task SignUpAsync(string connectionString, string sessionKey, IEnumerable<long> memberIds, string status = "confirmed")
    {
        const string Sql = """
            insert into members (id, display_name, language_code)
            select id, '读者' || id, 'zh-hans' from unnest(@ids) as id
            on conflict (id) do nothing;
            insert into registrations (session_id, member_id, status, waitlist_seq)
            select s.id, m, @status, case when @status = 'waitlisted' then nextval('waitlist_seq') end
              from sessions s, unnest(@ids) as m where s.key = @sessionKey;
            update sessions
               set confirmed_count = (select count(*) from registrations r where r.session_id = sessions.id and r.status = 'confirmed'),
                   waitlisted_count = (select count(*) from registrations r where r.session_id = sessions.id and r.status = 'waitlisted')
             where key = @sessionKey;
            """;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.ExecuteAsync(Sql, new { ids = memberIds.ToArray(), sessionKey, status });
    }
}

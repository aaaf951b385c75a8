using Dapper;
using Npgsql;
using SkiaSharp;

namespace Baoming.Tests.Stats;

/// <summary>Test data for /stats, put straight into the database, and the checks a chart must pass.</summary>
public static class StatsData
{
    /// <summary>
    /// <paramref name="count"/> members (ids from <paramref name="firstMember"/>) signed up to the session, one every
    /// <paramref name="every"/> from <paramref name="from"/>: every tenth cancelled, every twentieth waitlisted, every
    /// third through the source <c>wx36kr</c>. One statement, however many: 100,000 take a second or two.
    /// </summary>
    public static async Task SeedAsync(string connectionString, string sessionKey, int count, long firstMember, DateTimeOffset from, TimeSpan every)
    {
        const string Sql = """
            insert into members (id, display_name, language_code)
            select @firstMember + g, 'member ' || g, 'zh-hans' from generate_series(0, @count - 1) g
            on conflict (id) do nothing;
            insert into registrations (session_id, member_id, status, registered_at, cancelled_at, waitlist_seq, source)
            select s.id, @firstMember + g,
                   case when g % 10 = 9 then 'cancelled' when g % 20 = 4 then 'waitlisted' else 'confirmed' end,
                   @from + g * @every,
                   case when g % 10 = 9 then @from + g * @every + interval '1 hour' end,
                   case when g % 20 = 4 then nextval('waitlist_seq') end,
                   case when g % 3 = 2 then 'wx36kr' end
              from sessions s, generate_series(0, @count - 1) g
             where s.key = @sessionKey;
            update sessions s
               set confirmed_count = (select count(*) from registrations r where r.session_id = s.id and r.status = 'confirmed'),
                   waitlisted_count = (select count(*) from registrations r where r.session_id = s.id and r.status = 'waitlisted')
             where s.key = @sessionKey;
            """;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.ExecuteAsync(new CommandDefinition(
            Sql, new { sessionKey, count, firstMember, from = from.UtcDateTime, every }, commandTimeout: 120));
    }

    /// <summary>A series holding the sessions with these keys.</summary>
    public static async Task SeriesAsync(string connectionString, string key, string title, params string[] sessionKeys)
    {
        const string Sql = """
            insert into series (key, title) values (@key, @title);
            update sessions set series_id = (select id from series where key = @key) where key = any(@sessionKeys);
            """;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.ExecuteAsync(Sql, new { key, title, sessionKeys });
    }

    /// <summary>
    /// The PNG decodes, has the chart's size and is a drawing, not a blank: many colours, a fair share of
    /// non-white pixels, the sign-up line's blue (<paramref name="lineBlue"/> pixels at least: an empty session's
    /// line lies on the axis, half hidden) and the start's red.
    /// </summary>
    public static void AssertChart(byte[] png, int lineBlue = 500)
    {
        using var bitmap = SKBitmap.Decode(png);
        Assert.NotNull(bitmap);
        Assert.Equal((1200, 700), (bitmap.Width, bitmap.Height));
        var colours = new HashSet<SKColor>();
        int nonWhite = 0, blue = 0, red = 0, pixels = 0;
        for (var y = 0; y < bitmap.Height; y++)
        {
            for (var x = 0; x < bitmap.Width; x++)
            {
                var pixel = bitmap.GetPixel(x, y);
                pixels++;
                colours.Add(pixel);
                nonWhite += pixel == SKColors.White ? 0 : 1;
                blue += pixel == new SKColor(0x1f, 0x77, 0xb4) ? 1 : 0;
                red += pixel == new SKColor(0xd6, 0x27, 0x28) ? 1 : 0;
            }
        }

        Assert.True(colours.Count >= 20, $"only {colours.Count} colours");
        Assert.InRange((double)nonWhite / pixels, 0.02, 0.95);
        Assert.True(blue >= lineBlue, $"{blue} pixels of the sign-up line");
        Assert.True(red >= 100, $"{red} pixels of the start marker");
    }
}

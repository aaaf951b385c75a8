namespace Baoming.Storage;

/// <summary>Times as PostgreSQL gives them to Dapper: the one place a <c>timestamptz</c> becomes a <see cref="DateTimeOffset"/>.</summary>
public static class PostgresTime
{
    /// <summary>
    /// A <c>timestamptz</c> read into a <see cref="DateTime"/>: Npgsql reads it as UTC, and Dapper's
    /// mapping can lose the kind on the way, so the kind is set again before the offset is attached.
    /// </summary>
    public static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}

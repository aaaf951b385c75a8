using Baoming.Broadcasts;
using Baoming.Delivery;
using Baoming.Reminders;
using Baoming.Sessions;
using Baoming.Signup;
using Baoming.Tests.Infrastructure;
using Dapper;
using Npgsql;

namespace Baoming.Tests.Delivery;

/// <summary>
/// Topic keys are stored (<c>deliveries.topic</c>, Hangfire job arguments, <c>follow_ups</c>): each topic's
/// builder must keep writing exactly the text it always wrote, and every key must read back as itself.
/// </summary>
public sealed class TopicKeyTests
{
    private static readonly DateTimeOffset Due = DateTimeOffset.FromUnixTimeSeconds(1_767_225_600);

    public static TheoryData<string, string> BuiltKeys => new()
    {
        { BroadcastTopic.Key(7).ToString(), "broadcast:7" },
        { ReminderTopic.Key(42, Due).ToString(), "reminder:42:1767225600" },
        { SessionMovedTopic.Key(5, Due, Due.AddHours(2)).ToString(), "moved:5:1767225600:1767232800" },
        { SessionCancelledTopic.Key(5).ToString(), "cancelled:5" },
        { PromotionTopic.Key(5, 123_456).ToString(), "promoted:5:123456" },
    };

    [Theory]
    [MemberData(nameof(BuiltKeys))]
    public void Each_topic_builds_its_key_in_the_stored_text_format(string built, string stored) => Assert.Equal(stored, built);

    [Theory]
    [InlineData("broadcast:7", "broadcast", new long[] { 7 })]
    [InlineData("reminder:42:1767225600", "reminder", new long[] { 42, 1_767_225_600 })]
    [InlineData("moved:5:0:1767232800", "moved", new long[] { 5, 0, 1_767_232_800 })]
    [InlineData("promoted:9223372036854775807:1", "promoted", new long[] { long.MaxValue, 1 })]
    [InlineData("cancelled", "cancelled", new long[0])]
    public void A_stored_key_reads_as_its_kind_and_parts_and_writes_back_the_same_text(string text, string kind, long[] parts)
    {
        var key = TopicKey.Parse(text);

        Assert.Equal(kind, key.Kind);
        Assert.Equal(parts, Enumerable.Range(0, key.Count).Select(i => key[i]));
        Assert.Equal(text, key.ToString());
        Assert.Equal(TopicKey.Of(kind, parts), key);
        Assert.Equal(TopicKey.Of(kind, parts).GetHashCode(), key.GetHashCode());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(":7")]
    [InlineData("Broadcast:7")]
    [InlineData("broad-cast:7")]
    [InlineData("broadcast:")]
    [InlineData("broadcast:x")]
    [InlineData("broadcast:+7")]
    [InlineData("broadcast:-7")]
    [InlineData("broadcast:07")]
    [InlineData("broadcast: 7")]
    [InlineData("broadcast:7:")]
    [InlineData("broadcast:99999999999999999999")]
    [InlineData("report:broadcast:7")]
    public void Text_that_is_not_a_key_in_its_written_form_is_not_read(string? text)
    {
        Assert.False(TopicKey.TryParse(text, out _));
        if (text is not null)
        {
            Assert.Throws<FormatException>(() => TopicKey.Parse(text));
        }
    }

    [Fact]
    public void A_key_is_built_only_from_a_lower_case_kind_and_parts_that_are_not_negative()
    {
        Assert.Throws<ArgumentException>(() => TopicKey.Of("Broadcast", 7));
        Assert.Throws<ArgumentException>(() => TopicKey.Of("fan-out", 7));
        Assert.Throws<ArgumentOutOfRangeException>(() => TopicKey.Of("broadcast", -7));
    }

    [Fact]
    public void A_key_tells_its_kind_and_shape()
    {
        var key = ReminderTopic.Key(42, Due);

        Assert.True(key.Is(ReminderTopic.TopicKind, 2));
        Assert.False(key.Is(ReminderTopic.TopicKind, 1));
        Assert.False(key.Is(BroadcastTopic.TopicKind, 2));
        Assert.NotEqual(ReminderTopic.Key(42, Due.AddSeconds(1)), key);
        Assert.NotEqual(TopicKey.Of("moved", 42, Due.ToUnixTimeSeconds()), key);
    }

    [Fact]
    public void The_organizers_report_on_a_topic_is_kept_under_report_and_the_topics_text()
    {
        Assert.Equal("report:reminder:42:1767225600", ReminderTopic.Key(42, Due).ReportKey);
        Assert.Equal("report:broadcast:7", BroadcastTopic.Key(7).ReportKey);
    }

    [Fact]
    public async Task The_key_the_promotion_writes_in_SQL_reads_as_a_promotion_of_its_session_and_transaction()
    {
        await using var connection = new NpgsqlConnection(await TestPostgres.CreateDatabaseAsync());
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        const long SessionId = 42;

        var (text, transactionId) = await connection.QuerySingleAsync<(string, long)>(
            $"select {PromotionTopic.TopicSql}, txid_current()", new { sessionId = SessionId }, transaction);

        var key = TopicKey.Parse(text);
        Assert.Equal(PromotionTopic.Key(SessionId, transactionId), key);
        Assert.True(key.Is(PromotionTopic.TopicKind, 2));
        Assert.Equal(text, key.ToString());
    }
}

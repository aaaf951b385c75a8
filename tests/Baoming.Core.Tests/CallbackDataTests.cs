using System.Text;
using Baoming.Core.Export;
using Baoming.Core.Organizers;
using Baoming.Core.Understanding;

namespace Baoming.Core.Tests;

public sealed class CallbackDataTests
{
    [Fact]
    public void Each_button_kind_has_its_own_short_prefix()
    {
        // Act & Assert
        Assert.Equal("su:42", CallbackData.SignUp(42));
        Assert.Equal("cx:42", CallbackData.Cancel(42));
        Assert.Equal("ic:42", CallbackData.Calendar(42));
        Assert.Equal("ok:42", CallbackData.Attend(42));
    }

    [Fact]
    public void Built_data_parses_back_to_the_same_action()
    {
        // Arrange
        var cases = new (string Data, ButtonAction Expected)[]
        {
            (CallbackData.SignUp(7), new ButtonAction.SignUp(7)),
            (CallbackData.Cancel(7), new ButtonAction.Cancel(7)),
            (CallbackData.Calendar(7), new ButtonAction.Calendar(7)),
            (CallbackData.Attend(long.MaxValue), new ButtonAction.Attend(long.MaxValue)),
        };

        foreach (var (data, expected) in cases)
        {
            // Act
            var parsed = CallbackData.TryParse(data, out var action);

            // Assert
            Assert.True(parsed, data);
            Assert.Equal(expected, action);
        }
    }

    [Fact]
    public void The_largest_id_still_fits_telegrams_64_byte_limit()
    {
        // Act
        var data = CallbackData.SignUp(long.MaxValue);

        // Assert
        Assert.InRange(Encoding.UTF8.GetByteCount(data), 1, CallbackData.MaxBytes);
    }

    [Fact]
    public void The_action_exposes_its_session_id_whatever_its_kind()
    {
        // Act & Assert
        Assert.True(CallbackData.TryParse("ic:1234", out var action));
        Assert.Equal(1234, action.SessionId);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("su")]
    [InlineData("su:")]
    [InlineData("xx:42")]
    [InlineData("SU:42")]
    [InlineData("su42")]
    [InlineData("su:-1")]
    [InlineData("su:+1")]
    [InlineData("su:0")]
    [InlineData("su:007")]
    [InlineData("su: 42")]
    [InlineData("su:42 ")]
    [InlineData("su:42x")]
    [InlineData("su:42:1 ")]
    [InlineData("su:4.2")]
    [InlineData("su:1e3")]
    [InlineData("su:9223372036854775808")]
    [InlineData("su:99999999999999999999999")]
    [InlineData("su:٤٢")]
    [InlineData("su:４２")]
    [InlineData("su:42\u200B")]
    [InlineData("su:42\0")]
    public void Malformed_or_forged_data_is_rejected(string? data)
    {
        // Act
        var parsed = CallbackData.TryParse(data, out var action);

        // Assert
        Assert.False(parsed);
        Assert.Null(action);
    }

    [Fact]
    public void Data_longer_than_64_bytes_is_rejected()
    {
        // Arrange
        var data = "su:" + new string('1', 62);

        // Act
        var parsed = CallbackData.TryParse(data, out _);

        // Assert
        Assert.False(parsed);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Building_data_for_an_invalid_id_throws(long id)
    {
        // Act & Assert
        Assert.Throws<ArgumentOutOfRangeException>(() => CallbackData.SignUp(id));
    }

    [Fact]
    public void A_session_list_page_round_trips_and_is_not_a_session_button()
    {
        var data = CallbackData.SessionPage(3);

        Assert.True(CallbackData.TryParseSessionPage(data, out var page));
        Assert.Equal(3, page);
        Assert.False(CallbackData.TryParse(data, out _));
        Assert.True(Encoding.UTF8.GetByteCount(data) <= CallbackData.MaxBytes);
    }

    [Theory]
    [InlineData("sp:")]
    [InlineData("sp:-1")]
    [InlineData("sp:01")]
    [InlineData("sp:99999999999999999999")]
    [InlineData("su:1")]
    [InlineData(null)]
    public void A_forged_page_is_refused(string? data) => Assert.False(CallbackData.TryParseSessionPage(data, out _));

    // ── One codec for every button ─────────────────────────────────────────────────────────────

    /// <summary>Every kind of button the bot writes, with the largest ids, so the byte limit is tested at its worst.</summary>
    public static TheoryData<string> EveryBuiltValue() =>
    [
        CallbackData.SignUp(long.MaxValue),
        CallbackData.Cancel(long.MaxValue),
        CallbackData.Calendar(long.MaxValue),
        CallbackData.Attend(long.MaxValue),
        CallbackData.SessionPage(int.MaxValue),
        CallbackData.Sessions.ConfirmCancel(long.MaxValue),
        CallbackData.Sessions.Keep(),
        .. Enum.GetValues<Audience>().Select(a => CallbackData.Broadcasts.ChooseAudience(a)),
        CallbackData.Broadcasts.ChooseAudience(Audience.Confirmed, long.MaxValue),
        CallbackData.Broadcasts.ChooseAudience(Audience.Waitlisted, long.MaxValue),
        CallbackData.Broadcasts.Send(long.MaxValue, CallbackData.Broadcasts.SendNow),
        CallbackData.Broadcasts.Send(long.MaxValue, CallbackData.Broadcasts.SendLater),
        CallbackData.Broadcasts.Send(long.MaxValue, CallbackData.Broadcasts.Discard),
        CallbackData.Broadcasts.Stop(long.MaxValue),
        CallbackData.Broadcasts.NotReached(long.MaxValue),
        CallbackData.Export.Session(long.MaxValue),
        .. Enum.GetValues<ExportFileFormat>().Select(f => CallbackData.Export.Format(long.MaxValue, f)),
        CallbackData.Notes.Answer(long.MaxValue),
    ];

    [Fact]
    public void No_two_features_share_a_prefix()
    {
        // Act
        var duplicates = CallbackData.Prefixes.All.GroupBy(p => p, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key);

        // Assert
        Assert.Empty(duplicates);
        Assert.All(CallbackData.Prefixes.All, p => Assert.Matches("^[a-z]{2}$", p));
    }

    [Fact]
    public void Every_constant_of_the_prefixes_is_in_the_list_of_all()
    {
        // Arrange: a prefix added as a constant but forgotten in All would escape the test above.
        var constants = typeof(CallbackData.Prefixes).GetFields()
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!);

        // Act & Assert
        Assert.Equal(constants.Order(StringComparer.Ordinal), CallbackData.Prefixes.All.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(EveryBuiltValue))]
    public void Every_button_fits_telegrams_64_bytes_and_starts_with_a_known_prefix(string data)
    {
        // Act
        var prefix = data[..data.IndexOf(':', StringComparison.Ordinal)];

        // Assert
        Assert.InRange(Encoding.UTF8.GetByteCount(data), 1, CallbackData.MaxBytes);
        Assert.Contains(prefix, CallbackData.Prefixes.All);
    }

    [Fact]
    public void The_organizers_and_export_buttons_keep_the_data_already_sent_in_chats()
    {
        // Act & Assert: buttons in old messages carry exactly these, so they may never change.
        Assert.Equal("sp:3", CallbackData.SessionPage(3));
        Assert.Equal("cs:42", CallbackData.Sessions.ConfirmCancel(42));
        Assert.Equal("cs:no", CallbackData.Sessions.Keep());
        Assert.Equal("ba:c", CallbackData.Broadcasts.ChooseAudience(Audience.Confirmed));
        Assert.Equal("ba:w:42", CallbackData.Broadcasts.ChooseAudience(Audience.Waitlisted, 42));
        Assert.Equal("ba:u", CallbackData.Broadcasts.ChooseAudience(Audience.Upcoming));
        Assert.Equal("ba:e", CallbackData.Broadcasts.ChooseAudience(Audience.Everyone));
        Assert.Equal("bs:7:now", CallbackData.Broadcasts.Send(7, CallbackData.Broadcasts.SendNow));
        Assert.Equal("bs:7:at", CallbackData.Broadcasts.Send(7, CallbackData.Broadcasts.SendLater));
        Assert.Equal("bs:7:x", CallbackData.Broadcasts.Send(7, CallbackData.Broadcasts.Discard));
        Assert.Equal("bc:7", CallbackData.Broadcasts.Stop(7));
        Assert.Equal("bn:7", CallbackData.Broadcasts.NotReached(7));
        Assert.Equal("ex:42", CallbackData.Export.Session(42));
        Assert.Equal("ef:42:csv", CallbackData.Export.Format(42, ExportFileFormat.Csv));
        Assert.Equal("ef:42:xlsx", CallbackData.Export.Format(42, ExportFileFormat.Xlsx));
        Assert.Equal("na:42", CallbackData.Notes.Answer(42));
    }

    [Fact]
    public void The_organizers_buttons_parse_back_from_their_payload()
    {
        // Arrange: a feature's button handler is given what follows "prefix:".
        static string Payload(string data) => data[(data.IndexOf(':', StringComparison.Ordinal) + 1)..];

        // Act & Assert
        Assert.True(CallbackData.Sessions.TryParseCancel(Payload(CallbackData.Sessions.ConfirmCancel(long.MaxValue)), out var sessionId));
        Assert.Equal(long.MaxValue, sessionId);
        Assert.True(CallbackData.Sessions.IsKeep(Payload(CallbackData.Sessions.Keep())));
        Assert.False(CallbackData.Sessions.TryParseCancel(Payload(CallbackData.Sessions.Keep()), out _));

        Assert.True(CallbackData.Broadcasts.TryParseAudience(Payload(CallbackData.Broadcasts.ChooseAudience(Audience.Waitlisted, 42)), out var audience, out var forSession));
        Assert.Equal((Audience.Waitlisted, (long?)42), (audience, forSession));
        Assert.True(CallbackData.Broadcasts.TryParseAudience(Payload(CallbackData.Broadcasts.ChooseAudience(Audience.Everyone)), out audience, out forSession));
        Assert.Equal((Audience.Everyone, (long?)null), (audience, forSession));

        Assert.True(CallbackData.Broadcasts.TryParseSend(Payload(CallbackData.Broadcasts.Send(7, CallbackData.Broadcasts.SendLater)), out var broadcastId, out var how));
        Assert.Equal((7L, CallbackData.Broadcasts.SendLater), (broadcastId, how));
        Assert.True(CallbackData.Broadcasts.TryParseBroadcast(Payload(CallbackData.Broadcasts.Stop(7)), out broadcastId));
        Assert.Equal(7, broadcastId);
        Assert.True(CallbackData.Broadcasts.TryParseBroadcast(Payload(CallbackData.Broadcasts.NotReached(8)), out broadcastId));
        Assert.Equal(8, broadcastId);
        Assert.True(CallbackData.Notes.TryParseAnswer(Payload(CallbackData.Notes.Answer(9)), out var noteId));
        Assert.Equal(9, noteId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("x")]
    [InlineData("c:")]
    [InlineData("c:0")]
    [InlineData("c:042")]
    [InlineData("u:42")]
    [InlineData("e:42")]
    [InlineData("C")]
    [InlineData("c:42:1")]
    public void A_forged_audience_is_refused(string payload) => Assert.False(CallbackData.Broadcasts.TryParseAudience(payload, out _, out _));

    [Theory]
    [InlineData("7")]
    [InlineData("7:")]
    [InlineData("7:later")]
    [InlineData("07:now")]
    [InlineData("-7:now")]
    [InlineData(":now")]
    [InlineData("7:now:1")]
    public void A_forged_send_is_refused(string payload) => Assert.False(CallbackData.Broadcasts.TryParseSend(payload, out _, out _));

    [Fact]
    public void A_send_that_is_not_one_of_the_three_is_never_built() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => CallbackData.Broadcasts.Send(7, "later"));

    [Fact]
    public void Export_buttons_round_trip()
    {
        var session = CallbackData.Export.Session(long.MaxValue);
        var format = CallbackData.Export.Format(long.MaxValue, ExportFileFormat.Xlsx);

        Assert.True(CallbackData.Export.TryParseSession(session["ex:".Length..], out var id));
        Assert.Equal(long.MaxValue, id);
        Assert.True(CallbackData.Export.TryParseFormat(format["ef:".Length..], out id, out var parsed));
        Assert.Equal((long.MaxValue, ExportFileFormat.Xlsx), (id, parsed));
    }

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("042")]
    [InlineData("4 2")]
    [InlineData("99999999999999999999")]
    public void Forged_session_ids_are_refused(string payload)
    {
        Assert.False(CallbackData.Export.TryParseSession(payload, out _));
        Assert.False(CallbackData.Sessions.TryParseCancel(payload, out _));
        Assert.False(CallbackData.Broadcasts.TryParseBroadcast(payload, out _));
        Assert.False(CallbackData.Notes.TryParseAnswer(payload, out _));
    }

    [Theory]
    [InlineData("42")]
    [InlineData("42:")]
    [InlineData("42:pdf")]
    [InlineData("42:CSV")]
    [InlineData(":csv")]
    [InlineData("x:csv")]
    [InlineData("42:csv:1")]
    public void Forged_export_format_payloads_are_refused(string payload) => Assert.False(CallbackData.Export.TryParseFormat(payload, out _, out _));
}

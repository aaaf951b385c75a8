using System.Text;
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
    [InlineData("su:42:1")]
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
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(data) <= CallbackData.MaxBytes);
    }

    [Theory]
    [InlineData("sp:")]
    [InlineData("sp:-1")]
    [InlineData("sp:01")]
    [InlineData("sp:99999999999999999999")]
    [InlineData("su:1")]
    [InlineData(null)]
    public void A_forged_page_is_refused(string? data) => Assert.False(CallbackData.TryParseSessionPage(data, out _));
}

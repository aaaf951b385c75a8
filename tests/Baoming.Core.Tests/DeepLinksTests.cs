using Baoming.Core.Understanding;

namespace Baoming.Core.Tests;

public sealed class DeepLinksTests
{
    [Fact]
    public void A_payload_is_read_whole_first_then_split_at_each_dash_from_the_right()
    {
        Assert.Equal([("metaverse", null)], DeepLinks.Readings("metaverse"));
        Assert.Equal([("metaverse-wx36kr", null), ("metaverse", "wx36kr")], DeepLinks.Readings("metaverse-wx36kr"));
        Assert.Equal(
            [("ai-2027-qr-a", null), ("ai-2027-qr", "a"), ("ai-2027", "qr-a"), ("ai", "2027-qr-a")],
            DeepLinks.Readings("ai-2027-qr-a"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("metaverse wx")]
    [InlineData("metaverse-wx36kr!")]
    [InlineData("元宇宙-wx")]
    public void A_payload_Telegram_would_not_send_has_no_reading(string payload) => Assert.Empty(DeepLinks.Readings(payload));

    [Fact]
    public void A_payload_over_64_characters_has_no_reading() => Assert.Empty(DeepLinks.Readings("metaverse-" + new string('x', 55)));

    [Fact]
    public void A_trailing_or_leading_dash_gives_no_empty_key_or_source()
    {
        Assert.Equal([("metaverse-", null)], DeepLinks.Readings("metaverse-"));
        Assert.Equal([("-wx", null)], DeepLinks.Readings("-wx"));
    }

    [Fact]
    public void A_sign_up_button_carries_the_source_when_it_fits_and_parses_back()
    {
        var data = CallbackData.SignUp(42, "wx36kr");

        Assert.Equal("su:42:wx36kr", data);
        Assert.True(CallbackData.TryParse(data, out var action));
        Assert.Equal(new ButtonAction.SignUp(42, "wx36kr"), action);
        Assert.Equal("su:42", CallbackData.SignUp(42, new string('x', 60)));
        Assert.Equal("su:42", CallbackData.SignUp(42, "bad source"));
        Assert.Equal("su:42", CallbackData.SignUp(42, null));
    }

    [Theory]
    [InlineData("su:42:")]
    [InlineData("su:42:wx 36")]
    [InlineData("su:42:wx:36")]
    [InlineData("su:042:wx")]
    [InlineData("su::wx")]
    [InlineData("cx:42:wx")]
    public void Forged_sign_up_data_with_a_source_is_refused(string data) => Assert.False(CallbackData.TryParse(data, out _));
}

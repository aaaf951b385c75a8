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
    public void A_link_payload_is_the_key_alone_or_the_key_a_dash_and_the_source()
    {
        Assert.Equal(new LinkPayload.Made("metaverse"), DeepLinks.Payload("metaverse", null));
        Assert.Equal(new LinkPayload.Made("metaverse-wx36kr"), DeepLinks.Payload("metaverse", "wx36kr"));
        Assert.Equal(new LinkPayload.Made("ai-2027-qr_poster"), DeepLinks.Payload("ai-2027", "qr_poster"));
    }

    [Fact]
    public void The_longest_source_is_what_the_key_and_its_dash_leave_of_64_characters()
    {
        Assert.Equal(54, DeepLinks.MaxSourceLength("metaverse"));
        Assert.Equal(new LinkPayload.Made("metaverse-" + new string('x', 54)), DeepLinks.Payload("metaverse", new string('x', 54)));
        Assert.Equal(new LinkPayload.BadSource(54), DeepLinks.Payload("metaverse", new string('x', 55)));
        Assert.Equal(0, DeepLinks.MaxSourceLength(new string('k', 63)));
        Assert.Equal(new LinkPayload.BadSource(0), DeepLinks.Payload(new string('k', 63), "a"));
        Assert.Equal(new LinkPayload.BadSource(0), DeepLinks.Payload(new string('k', 64), "a"));
        Assert.Equal(new LinkPayload.Made(new string('k', 64)), DeepLinks.Payload(new string('k', 64), null));
    }

    [Theory]
    [InlineData("wx 36")]
    [InlineData("wx!")]
    [InlineData("公众号")]
    [InlineData("wx.36kr")]
    [InlineData("")]
    public void A_source_outside_the_payload_alphabet_is_refused_with_the_room_left(string source) =>
        Assert.Equal(new LinkPayload.BadSource(54), DeepLinks.Payload("metaverse", source));

    [Theory]
    [InlineData("元宇宙")]
    [InlineData("meta verse")]
    public void A_key_a_payload_cannot_carry_has_no_link(string key)
    {
        Assert.Equal(new LinkPayload.KeyUnfit(), DeepLinks.Payload(key, null));
        Assert.Equal(new LinkPayload.KeyUnfit(), DeepLinks.Payload(key, "wx"));
    }

    [Fact]
    public void The_payload_of_a_link_reads_back_as_its_key_and_source_once_the_keys_read_first_are_passed()
    {
        // "ai" with the source "2027-qr" is first read as the whole payload, then as the key "ai-2027".
        Assert.Equal(["ai-2027-qr", "ai-2027"], DeepLinks.KeysReadFirst("ai", "2027-qr"));
        Assert.Equal(["metaverse-wx36kr"], DeepLinks.KeysReadFirst("metaverse", "wx36kr"));
        Assert.Equal(["ai-2027-qr-a", "ai-2027-qr"], DeepLinks.KeysReadFirst("ai-2027", "qr-a"));

        var payload = ((LinkPayload.Made)DeepLinks.Payload("ai", "2027-qr")).Payload;
        var readings = DeepLinks.Readings(payload).ToList();
        Assert.Equal(("ai", "2027-qr"), readings[DeepLinks.KeysReadFirst("ai", "2027-qr").Count]);
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

using Baoming.Storage;

namespace Baoming.Tests.Storage;

public sealed class AdvisoryLocksTests
{
    [Theory]
    [InlineData(123456789L)]
    [InlineData(-1001234567890L)]
    [InlineData(4503599627370495L)]
    public void A_chat_turn_key_keeps_the_whole_chat_id(long chatId)
    {
        var (high, low) = AdvisoryLocks.ChatTurn(chatId);
        Assert.Equal(chatId, ((long)high << 32) | (uint)low);
    }

    [Theory]
    [InlineData(4503599627370495L)]
    [InlineData(-4503599627370495L)]
    public void No_chat_id_within_52_bits_takes_the_polling_lease_key(long chatId) =>
        Assert.NotEqual(AdvisoryLocks.PollingClass, AdvisoryLocks.ChatTurn(chatId).High);
}

using System.Globalization;
using Baoming.Tests.Fakes;
using Baoming.Tests.Infrastructure;

namespace Baoming.Tests.Telegram;

/// <summary>
/// Once an update is handled (or skipped) the inbox keeps what it was — its id, chat, sender and kind —
/// but not what it said: no text, no names, no usernames (issue 16 item 7).
/// </summary>
public sealed class InboxPayloadTests
{
    private const long Member = 16_701;
    private const long Skipper = 16_702;

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_handled_message_leaves_no_trace_of_its_text_or_its_senders_names_in_the_inbox()
    {
        // Arrange
        await using var bot = await BotHarness.StartAsync();

        // Act
        var updateId = bot.Telegram.EnqueueUpdate(FakeBotApi.TextUpdate(Member, "报名 Kumquatissimo", firstName: "Zephyrine", username: "zephyr_handle"));
        await bot.Telegram.WaitForMessageAsync(Member, timeout: Wait);
        await bot.WaitUntilIdleAsync(Wait);

        // Assert
        var row = await bot.ScalarAsync<string>("select row_to_json(inbox)::text from inbox where update_id = @updateId", new { updateId });
        Assert.DoesNotContain("Kumquatissimo", row, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("报名", row, StringComparison.Ordinal);
        Assert.DoesNotContain("Zephyrine", row, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("zephyr_handle", row, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("zh-hans", row, StringComparison.Ordinal);
        var expected = string.Create(CultureInfo.InvariantCulture, $$"""{"update_id": {{updateId}}, "chat_id": {{Member}}, "kind": "message", "from_id": {{Member}}, "content": "text"}""");
        Assert.True(
            await bot.ScalarAsync<bool>("select payload = @expected::jsonb from inbox where update_id = @updateId", new { updateId, expected }),
            $"The handled update's payload is {await bot.ScalarAsync<string>("select payload::text from inbox where update_id = @updateId", new { updateId })}, not {expected}.");
    }

    [Fact]
    public async Task An_update_skipped_as_unreadable_leaves_no_trace_of_its_text_or_its_senders_names_either()
    {
        // Arrange: Telegram.Bot cannot read entities that are not a list, so the update is skipped when its turn comes.
        await using var bot = await BotHarness.StartAsync();
        const string Unreadable = """
            {"message":{"message_id":1,"from":{"id":16702,"is_bot":false,"first_name":"Quillon","username":"quillon_handle","language_code":"en"},
             "chat":{"id":16702,"first_name":"Quillon","username":"quillon_handle","type":"private"},"date":1790000000,
             "text":"Kumquatissimo","entities":"Kumquatissimo"}}
            """;

        // Act
        var updateId = bot.Telegram.EnqueueUpdate(Unreadable);
        await bot.WaitUntilIdleAsync(Wait);

        // Assert
        Assert.StartsWith("unreadable", await bot.ScalarAsync<string?>("select skipped from inbox where update_id = @updateId", new { updateId }));
        var row = await bot.ScalarAsync<string>("select row_to_json(inbox)::text from inbox where update_id = @updateId", new { updateId });
        Assert.DoesNotContain("Kumquatissimo", row, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Quillon", row, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(Skipper, await bot.ScalarAsync<long>("select (payload->>'from_id')::bigint from inbox where update_id = @updateId", new { updateId }));
    }
}

using System.Net;
using Baoming.Tests.Fakes;
using Baoming.Tests.Infrastructure;

namespace Baoming.Tests.ChatTurnDialogues;

/// <summary>
/// A member's dialogue as two webhook instances see it when the member's messages alternate between them: what
/// one instance opened or closed in its turn is what the other finds in the next, since a turn's knowledge of the
/// dialogue ends with the turn.
/// </summary>
public sealed class DialogueAcrossInstancesTests
{
    private const long Member = 771_001;
    private const string Key = "turns";

    [Fact]
    public async Task Questions_opened_on_one_instance_are_answered_on_the_other_and_closed_for_both()
    {
        var settings = BotHarness.WebhookMode(BotHarness.ExtraSession(2, Key, "选题会：轮次", new DateTimeOffset(2027, 2, 24, 19, 30, 0, TimeSpan.FromHours(8)), 0, "轮次"));
        settings["Sessions:2:Questions:0:Text"] = "公司";
        settings["Sessions:2:Questions:1:Text"] = "职位";
        await using var telegram = await FakeBotApi.StartAsync();
        var database = await TestPostgres.CreateDatabaseAsync();
        await using var a = await BotHarness.StartAsync(settings, telegram, database);
        await using var b = await BotHarness.StartAsync(settings, telegram, database);

        // Sign-up on A opens the questions; each answer goes to the other instance than the step before.
        var signedUp = await SayAsync(a, telegram, "报名 轮次", expected: 2);
        var second = await SayAsync(b, telegram, "腾讯", expected: 1);
        var thanks = await SayAsync(a, telegram, "工程师", expected: 1);
        // The questions are over (closed on A): on B the same kind of text is no answer any more.
        var after = await SayAsync(b, telegram, "腾讯", expected: 1);

        Assert.Contains("公司", signedUp[1].Text);
        Assert.Contains("职位", second[0].Text);
        Assert.Contains("工程师", thanks[0].Text);
        Assert.DoesNotContain("职位", after[0].Text);
        var answers = await a.QueryAsync<(string Text, string Answer)>(
            "select q.text, a.answer from question_answers a join session_questions q on q.id = a.question_id where a.member_id = @Member order by q.position",
            new { Member });
        Assert.Equal([("公司", "腾讯"), ("职位", "工程师")], answers);
        Assert.Equal(0, await a.ScalarAsync<long>("select count(*) from dialogs where member_id = @Member", new { Member }));
    }

    /// <summary>Posts the text to <paramref name="instance"/> and waits for the replies it brings.</summary>
    private static async Task<IReadOnlyList<SentMessage>> SayAsync(BotHarness instance, FakeBotApi telegram, string text, int expected)
    {
        var before = telegram.MessagesTo(Member).Count;
        Assert.Equal(HttpStatusCode.OK, await instance.PostUpdateAsync(BotHarness.WithId(FakeBotApi.TextUpdate(Member, text), BotHarness.NewUpdateId())));
        var messages = await telegram.WaitForMessagesAsync(Member, before + expected);
        return [.. messages.Skip(before)];
    }
}

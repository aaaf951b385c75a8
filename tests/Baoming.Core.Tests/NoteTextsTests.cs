using Baoming.Core.Replies;

namespace Baoming.Core.Tests;

/// <summary>What the organizers and the reader read about a note: plain text, who and when, the inbox's page.</summary>
public sealed class NoteTextsTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private static readonly DateTimeOffset Written = new(2027, 1, 20, 4, 0, 0, TimeSpan.Zero);

    private static NoteCard Note(long id, string text = "希望下次聊聊自动驾驶", string? name = "小明", string? username = "xiaoming") =>
        new(id, 5001, name, username, text, Written);

    [Fact]
    public void The_organizers_see_who_wrote_when_in_Beijing_time_and_the_text_as_typed()
    {
        var reply = new Texts(Language.Chinese, Shanghai).NoteForOrganizers(Note(7, "<b>多办</b> & 几场"));

        Assert.Contains("小明 @xiaoming", reply.Text);
        Assert.Contains("12:00（北京时间）", reply.Text);
        Assert.EndsWith("<b>多办</b> & 几场", reply.Text, StringComparison.Ordinal);
        Assert.False(reply.IsHtml);
        Assert.Equal("回复", reply.Buttons.Single().Text);
    }

    [Theory]
    [InlineData(null, null, "5001")]
    [InlineData("小明", null, "小明")]
    [InlineData(null, "xiaoming", "@xiaoming")]
    public void An_author_without_a_name_or_username_is_named_by_what_there_is(string? name, string? username, string expected)
    {
        var reply = new Texts(Language.Chinese, Shanghai).NoteForOrganizers(Note(7, name: name, username: username));

        Assert.StartsWith($"📮 {expected} 给组织者留言", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_inbox_clips_each_note_gives_each_its_button_and_counts_the_rest()
    {
        // The longest of everything: whole notes, a long Telegram name, a 32-character username.
        var notes = Enumerable.Range(1, Texts.InboxPageSize)
            .Select(i => Note(100 - i, new string('长', Texts.NoteMaxLength), name: new string('名', 64), username: new string('u', 32)))
            .ToList();

        var reply = new Texts(Language.Chinese, Shanghai).Inbox(notes, more: 3);

        Assert.True(reply.Text.Length <= 4096, $"{reply.Text.Length} characters");
        Assert.Contains("未回复的留言（23 条，最新的在前）", reply.Text);
        Assert.Contains("还有 3 条更早的未回复留言", reply.Text);
        Assert.Equal(Texts.InboxPageSize, reply.Buttons.Count());
        Assert.Equal("回复 #99", reply.Buttons.First().Text);
    }

    [Fact]
    public void An_empty_inbox_says_so()
    {
        Assert.Equal("No unanswered notes.", new Texts(Language.English, Shanghai).Inbox([], 0).Text);
    }
}

using Baoming.Core.Understanding;

namespace Baoming.Core.Tests;

/// <summary>A reader's word to the organizers: 留言 or 建议 at the start, the rest as typed.</summary>
public sealed class NoteParsingTests
{
    [Theory]
    [InlineData("留言：希望下次聊聊自动驾驶", "希望下次聊聊自动驾驶")]
    [InlineData("留言:希望下次聊聊自动驾驶", "希望下次聊聊自动驾驶")]
    [InlineData("建议 多办几场", "多办几场")]
    [InlineData("建议多办几场", "多办几场")]
    [InlineData("建議：多辦幾場", "多辦幾場")]
    [InlineData("  留言  报名 元宇宙 ", "报名 元宇宙")]
    [InlineData("留言 <b>Hi</b> & bye", "<b>Hi</b> & bye")]
    [InlineData("\u200B留言 Hi", "Hi")]
    public void A_text_starting_with_the_word_is_a_note_kept_as_typed(string text, string note)
    {
        // Act
        var intent = MessageParser.Parse(text);

        // Assert
        Assert.Equal(new Intent.Note(note), intent);
    }

    [Theory]
    [InlineData("留言")]
    [InlineData("留言：")]
    [InlineData(" 建议 ")]
    public void The_word_alone_is_a_note_without_text(string text)
    {
        Assert.Equal(new Intent.Note(null), MessageParser.Parse(text));
    }

    [Theory]
    [InlineData("我想留言", typeof(Intent.Unknown))]
    [InlineData("/inbox", typeof(Intent.Command))]
    [InlineData("报名 元宇宙", typeof(Intent.SignUp))]
    [InlineData("留", typeof(Intent.Unknown))]
    public void Other_texts_keep_their_meaning(string text, Type expected)
    {
        Assert.IsType(expected, MessageParser.Parse(text));
    }
}

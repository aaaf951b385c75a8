using Baoming.Core.Understanding;

namespace Baoming.Core.Tests;

public sealed class MessageParserTests
{
    [Theory]
    [InlineData("/start")]
    [InlineData("/start@BaomingBot")]
    [InlineData("/START")]
    public void Start_without_a_payload_has_no_payload(string text)
    {
        // Act
        var intent = MessageParser.Parse(text);

        // Assert
        Assert.Equal(new Intent.Start(null), intent);
    }

    [Theory]
    [InlineData("/start Metaverse_2027-02", "Metaverse_2027-02")]
    [InlineData("/start@BaomingBot abc", "abc")]
    [InlineData("/start s42", "s42")]
    public void Start_keeps_a_valid_payload_with_its_case(string text, string payload)
    {
        // Act
        var intent = MessageParser.Parse(text);

        // Assert
        Assert.Equal(new Intent.Start(payload), intent);
    }

    [Theory]
    [InlineData("/start 元宇宙")]
    [InlineData("/start a b")]
    [InlineData("/start a.b")]
    [InlineData("/start ../../etc/passwd")]
    [InlineData("/start a'; drop table sessions;--")]
    public void Start_with_an_invalid_payload_drops_the_payload(string text)
    {
        // Act
        var intent = MessageParser.Parse(text);

        // Assert
        Assert.Equal(new Intent.Start(null), intent);
    }

    [Fact]
    public void Start_payload_may_be_64_characters_but_not_65()
    {
        // Arrange
        var longest = new string('a', 64);

        // Act
        var accepted = MessageParser.Parse("/start " + longest);
        var tooLong = MessageParser.Parse("/start " + longest + "a");

        // Assert
        Assert.Equal(new Intent.Start(longest), accepted);
        Assert.Equal(new Intent.Start(null), tooLong);
    }

    [Theory]
    [InlineData("/signup", null)]
    [InlineData("/signup@BaomingBot", null)]
    [InlineData("/signup 元宇宙", "元宇宙")]
    [InlineData("/signup Metaverse", "metaverse")]
    [InlineData("/signup@BaomingBot 2月17日那场", "2月17日")]
    public void Signup_command_carries_its_words_as_the_query(string text, string? query)
    {
        // Act
        var intent = MessageParser.Parse(text);

        // Assert
        Assert.Equal(new Intent.SignUp(query), intent);
    }

    [Theory]
    [InlineData("/cancel", null)]
    [InlineData("/cancel@BaomingBot 元宇宙", "元宇宙")]
    public void Cancel_command_carries_its_words_as_the_query(string text, string? query)
    {
        // Act
        var intent = MessageParser.Parse(text);

        // Assert
        Assert.Equal(new Intent.Cancel(query), intent);
    }

    [Theory]
    [InlineData("/my")]
    [InlineData("/my@BaomingBot")]
    public void My_command_lists_signups(string text)
    {
        // Act
        var intent = MessageParser.Parse(text);

        // Assert
        Assert.IsType<Intent.MySignups>(intent);
    }

    [Theory]
    [InlineData("/help")]
    [InlineData("/help@BaomingBot")]
    public void Help_command_asks_for_help(string text)
    {
        // Act
        var intent = MessageParser.Parse(text);

        // Assert
        Assert.IsType<Intent.Help>(intent);
    }

    [Theory]
    [InlineData("/start@")]
    [InlineData("/start@bad-bot abc")]
    [InlineData("/")]
    [InlineData("/导出")]
    [InlineData("/this_command_name_is_far_too_long_for_telegram")]
    public void Malformed_commands_are_unknown(string text)
    {
        // Act
        var intent = MessageParser.Parse(text);

        // Assert
        Assert.IsType<Intent.Unknown>(intent);
    }

    [Theory]
    [InlineData("/export", "export", null)]
    [InlineData("/startx", "startx", null)]
    [InlineData("/EXPORT@BaomingBot metaverse", "export", "metaverse")]
    [InlineData("/grant organizer @SomeOne", "grant", "organizer @SomeOne")]
    public void Other_well_formed_commands_carry_their_name_and_arguments(string text, string name, string? arguments)
    {
        var intent = MessageParser.Parse(text);

        Assert.Equal(new Intent.Command(name, arguments), intent);
    }

    [Theory]
    [InlineData("报名")]
    [InlineData("我要报名")]
    [InlineData("我想报名")]
    [InlineData("我想要报名")]
    [InlineData("報名")]
    [InlineData("报名！")]
    [InlineData("报名吧")]
    [InlineData("报名一下")]
    [InlineData("  报名  ")]
    [InlineData("报\u200B名")]
    [InlineData("\u202B报名\u202C")]
    [InlineData("🙋 报名")]
    [InlineData("报名 🎉")]
    [InlineData("sign up")]
    [InlineData("Sign Up")]
    [InlineData("SIGNUP")]
    [InlineData("sign-up")]
    [InlineData("register")]
    [InlineData("Join")]
    [InlineData("ｓｉｇｎ ｕｐ")]
    public void Signup_phrases_without_words_sign_up_with_no_query(string text)
    {
        // Act
        var intent = MessageParser.Parse(text);

        // Assert
        Assert.Equal(new Intent.SignUp(null), intent);
    }

    [Theory]
    [InlineData("报名　元宇宙", "元宇宙")]
    [InlineData("报名元宇宙", "元宇宙")]
    [InlineData("报名 元宇宙", "元宇宙")]
    [InlineData("報名 元宇宙", "元宇宙")]
    [InlineData("我要报名2月17日那场", "2月17日")]
    [InlineData("我要报名２月１７日那场", "2月17日")]
    [InlineData("我想报名2月17日的那场吧", "2月17日")]
    [InlineData("报名17号场", "17号")]
    [InlineData("报名：汽车那一场！", "汽车")]
    [InlineData("报名一下元宇宙呀", "元宇宙")]
    [InlineData("报名参加元宇宙", "元宇宙")]
    [InlineData("报名 2.17", "2.17")]
    [InlineData("报名市场", "市场")]
    [InlineData("sign up metaverse", "metaverse")]
    [InlineData("Sign up for the Metaverse session please", "metaverse")]
    [InlineData("signup: auto", "auto")]
    [InlineData("register forum", "forum")]
    [InlineData("join metaverse", "metaverse")]
    [InlineData("join元宇宙", "元宇宙")]
    public void Signup_phrases_with_words_carry_them_without_filler(string text, string query)
    {
        // Act
        var intent = MessageParser.Parse(text);

        // Assert
        Assert.Equal(new Intent.SignUp(query), intent);
    }

    [Theory]
    [InlineData("取消报名", null)]
    [InlineData("取消", null)]
    [InlineData("取消報名", null)]
    [InlineData("我要取消报名", null)]
    [InlineData("取消报名 元宇宙", "元宇宙")]
    [InlineData("取消报名2月17日那场", "2月17日")]
    [InlineData("取消元宇宙", "元宇宙")]
    [InlineData("cancel", null)]
    [InlineData("Cancel metaverse", "metaverse")]
    [InlineData("退订", null)]
    [InlineData("退订汽车", "汽车")]
    public void Cancel_phrases_cancel_even_though_they_contain_baoming(string text, string? query)
    {
        // Act
        var intent = MessageParser.Parse(text);

        // Assert
        Assert.Equal(new Intent.Cancel(query), intent);
    }

    [Theory]
    [InlineData("我的报名")]
    [InlineData("我的報名")]
    [InlineData("我报了什么")]
    [InlineData("我報了什麼？")]
    [InlineData("查看报名")]
    [InlineData("my signups")]
    [InlineData("My Signups")]
    [InlineData("my")]
    public void My_signups_phrases_list_signups(string text)
    {
        // Act
        var intent = MessageParser.Parse(text);

        // Assert
        Assert.IsType<Intent.MySignups>(intent);
    }

    [Theory]
    [InlineData("帮助")]
    [InlineData("幫助")]
    [InlineData("help")]
    [InlineData("HELP!")]
    [InlineData("?")]
    [InlineData("？")]
    [InlineData("？？")]
    public void Help_phrases_ask_for_help(string text)
    {
        // Act
        var intent = MessageParser.Parse(text);

        // Assert
        Assert.IsType<Intent.Help>(intent);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\u200B\u200F")]
    [InlineData("🎉🎉🎉")]
    [InlineData("👍🏽")]
    [InlineData("你好")]
    [InlineData("我要")]
    [InlineData("我不想报名")]
    [InlineData("已经报名了")]
    [InlineData("registered")]
    [InlineData("joiner")]
    [InlineData("cancellation policy")]
    [InlineData("myself")]
    [InlineData("مرحبا")]
    public void Anything_else_is_unknown(string? text)
    {
        // Act
        var intent = MessageParser.Parse(text);

        // Assert
        Assert.IsType<Intent.Unknown>(intent);
    }

    [Theory]
    [InlineData("元宇宙那场报名", "元宇宙")]
    [InlineData("2月17日的报名", "2月17日")]
    [InlineData("元宇宙 报名一下", "元宇宙")]
    [InlineData("麻烦帮我报个名，2月17日那场", "2月17日")]
    [InlineData("我想参加元宇宙那场", "元宇宙")]
    [InlineData("预约2月17日", "2月17日")]
    [InlineData("報個名 元宇宙那場", "元宇宙")]
    [InlineData("\u202Eمرحبا 报名", "مرحبا")]
    public void The_wish_and_the_session_are_found_anywhere_and_in_either_order(string text, string query)
    {
        // Act
        var intent = MessageParser.Parse(text);

        // Assert
        Assert.Equal(new Intent.SignUp(query), intent);
    }

    [Theory]
    [InlineData("元宇宙那场怎么报名？", "元宇宙")]
    [InlineData("元宇宙还能报名吗？", "元宇宙")]
    [InlineData("元宇宙报名的人多吗", "元宇宙")]
    [InlineData("元宇宙报名人数", "元宇宙")]
    [InlineData("报名这场元宇宙？", "元宇宙")]
    [InlineData("元宇宙还有名额吗", "元宇宙")]
    [InlineData("报名人数多少", null)]
    [InlineData("请问上次的报名结果怎么样", "上次")]
    public void Questions_about_signing_up_or_about_the_signups_only_ask(string text, string? query)
    {
        // Act
        var intent = MessageParser.Parse(text);

        // Assert: the conversation offers buttons for these and never signs up.
        Assert.Equal(new Intent.Ask(query), intent);
    }

    [Theory]
    [InlineData("怎么取消报名？", null)]
    [InlineData("元宇宙能取消吗？", "元宇宙")]
    public void A_question_about_cancelling_cancels_nothing_yet(string text, string? query)
    {
        // Act
        var intent = MessageParser.Parse(text);

        // Assert
        Assert.Equal(new Intent.Cancel(query, IsQuestion: true), intent);
    }

    [Theory]
    [InlineData("不用取消元宇宙")]
    [InlineData("别帮我报名元宇宙")]
    [InlineData("元宇宙报名不了")]
    [InlineData("我已经报名元宇宙了")]
    public void Negated_and_past_mentions_are_unknown(string text)
    {
        // Act
        var intent = MessageParser.Parse(text);

        // Assert
        Assert.IsType<Intent.Unknown>(intent);
    }

    [Fact]
    public void Lone_surrogates_are_ignored_rather_than_crashing()
    {
        // Arrange: built at run time because attribute strings cannot hold lone surrogates.
        var text = "报" + (char)0xD800 + "名";

        // Act
        var intent = MessageParser.Parse(text);

        // Assert
        Assert.Equal(new Intent.SignUp(null), intent);
    }

    [Fact]
    public void A_long_message_mentioning_baoming_in_the_middle_is_unknown()
    {
        // Arrange
        var text = string.Concat(Enumerable.Repeat("今天天气很好", 400)) + "报名" + new string('啊', 1000);

        // Act
        var intent = MessageParser.Parse(text);

        // Assert
        Assert.IsType<Intent.Unknown>(intent);
    }

    [Fact]
    public void A_4096_character_random_message_does_not_crash()
    {
        // Arrange
        var random = new Random(4096);
        for (var round = 0; round < 50; round++)
        {
            var chars = new char[4096];
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = (char)random.Next(0, char.MaxValue + 1);
            }

            // Act
            var intent = MessageParser.Parse(new string(chars));

            // Assert
            Assert.NotNull(intent);
        }
    }

    [Fact]
    public void A_4096_character_signup_carries_the_rest_as_the_query()
    {
        // Arrange
        var text = "报名" + new string('元', 4094);

        // Act
        var intent = MessageParser.Parse(text);

        // Assert
        var signUp = Assert.IsType<Intent.SignUp>(intent);
        Assert.Equal(4094, signUp.Query!.Length);
    }
}

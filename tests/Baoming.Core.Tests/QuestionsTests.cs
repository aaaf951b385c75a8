using System.Text;
using Baoming.Core.Questions;
using Baoming.Core.Replies;
using Baoming.Core.Understanding;

namespace Baoming.Core.Tests;

/// <summary>The pure side of the questions at sign-up: the organizers' one-line form, the rules, typed answers, edits that keep answers, the buttons' data.</summary>
public sealed class QuestionsTests
{
    private static readonly TimeZoneInfo Beijing = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    private static QuestionSpec Text(string text, bool required = false) => new(text, [], required);

    private static QuestionSpec Choice(string text, params string[] choices) => new(text, choices, false);

    [Fact]
    public void The_example_line_parses_into_required_text_and_choice_questions()
    {
        // Act
        var parsed = QuestionSyntax.Parse("公司* ; 职位 ; 行业: 汽车|互联网|金融 ; 这场你最想聊什么？");

        // Assert
        Assert.True(parsed.IsOk);
        Assert.Equal(4, parsed.Questions.Count);
        Assert.True(parsed.Questions[0].SameAs(Text("公司", required: true)));
        Assert.True(parsed.Questions[1].SameAs(Text("职位")));
        Assert.True(parsed.Questions[2].SameAs(Choice("行业", "汽车", "互联网", "金融")));
        Assert.True(parsed.Questions[3].SameAs(Text("这场你最想聊什么？")));
    }

    [Fact]
    public void Full_width_separators_and_marks_count_the_same()
    {
        var parsed = QuestionSyntax.Parse("公司＊；行业＊：汽车｜互联网；");

        Assert.True(parsed.IsOk);
        Assert.True(parsed.Questions[0].SameAs(Text("公司", required: true)));
        Assert.True(parsed.Questions[1].SameAs(new QuestionSpec("行业", ["汽车", "互联网"], true)));
    }

    [Fact]
    public void A_dash_clears_the_questions()
    {
        var parsed = QuestionSyntax.Parse(" - ");

        Assert.True(parsed.IsOk);
        Assert.Empty(parsed.Questions);
    }

    [Theory]
    [InlineData("行业: 汽车", QuestionError.TooFewChoices, 0)]
    [InlineData("公司 ; 行业:", QuestionError.TooFewChoices, 1)]
    [InlineData("行业: 汽车||金融", QuestionError.EmptyChoice, 0)]
    [InlineData("公司 ; 公司*", QuestionError.DuplicateText, 1)]
    [InlineData("行业: 汽车|互联网|汽车", QuestionError.DuplicateChoice, 0)]
    [InlineData("行业: A|a", QuestionError.DuplicateChoice, 0)]
    [InlineData(": 汽车|互联网", QuestionError.EmptyText, 0)]
    [InlineData("* ; 公司", QuestionError.EmptyText, 0)]
    public void A_bad_line_is_refused_naming_the_question(string line, QuestionError error, int question)
    {
        // Act
        var parsed = QuestionSyntax.Parse(line);

        // Assert
        Assert.False(parsed.IsOk);
        Assert.Empty(parsed.Questions);
        Assert.Contains(parsed.Problems, p => p.Error == error && p.Question == question);
    }

    [Fact]
    public void The_caps_are_enforced()
    {
        var eleven = string.Join(" ; ", Enumerable.Range(1, 11).Select(i => $"问题{i}"));
        var longText = new string('问', QuestionLimits.MaxTextLength + 1);
        var elevenChoices = "行业: " + string.Join('|', Enumerable.Range(1, 11).Select(i => $"选项{i}"));
        var longChoice = "行业: 汽车|" + new string('选', QuestionLimits.MaxChoiceLength + 1);

        Assert.Contains(QuestionSyntax.Parse(eleven).Problems, p => p.Error == QuestionError.TooManyQuestions && p.Detail == "11");
        Assert.Contains(QuestionSyntax.Parse(longText).Problems, p => p.Error == QuestionError.TextTooLong && p.Detail == "101");
        Assert.Contains(QuestionSyntax.Parse(elevenChoices).Problems, p => p.Error == QuestionError.TooManyChoices && p.Detail == "11");
        Assert.Contains(QuestionSyntax.Parse(longChoice).Problems, p => p.Error == QuestionError.ChoiceTooLong && p.Choice == 1);
        Assert.True(QuestionSyntax.Parse(string.Join(" ; ", Enumerable.Range(1, 10).Select(i => $"问题{i}"))).IsOk);
    }

    [Fact]
    public void Format_writes_what_parse_reads()
    {
        // Arrange
        const string Line = "公司* ; 职位 ; 行业: 汽车|互联网|金融";

        // Act
        var formatted = QuestionSyntax.Format(QuestionSyntax.Parse(Line).Questions);

        // Assert
        Assert.Equal(Line, formatted);
        Assert.Equal("-", QuestionSyntax.Format([]));
    }

    [Theory]
    [InlineData("  腾讯 ", "腾讯")]
    [InlineData("字节跳动 / 商业化", "字节跳动 / 商业化")]
    public void A_typed_text_answer_is_kept_trimmed(string typed, string stored)
    {
        Assert.Equal(new AnswerCheck.Accepted(stored), AnswerRules.Check(Text("公司", required: true), typed, hasAnswer: false));
    }

    [Fact]
    public void Empty_over_long_and_skipped_answers_to_a_required_question_are_refused()
    {
        var question = Text("公司", required: true);

        Assert.IsType<AnswerCheck.Empty>(AnswerRules.Check(question, "  \u3000 ", false));
        Assert.Equal(new AnswerCheck.TooLong(201), AnswerRules.Check(question, new string('字', 201), false));
        Assert.IsType<AnswerCheck.Accepted>(AnswerRules.Check(question, new string('字', 200), false));
        Assert.IsType<AnswerCheck.Required>(AnswerRules.Check(question, "跳过", false));
    }

    [Fact]
    public void An_optional_question_can_be_skipped_and_an_answered_one_kept()
    {
        var question = Text("职位");

        Assert.IsType<AnswerCheck.Skip>(AnswerRules.Check(question, "跳过", false));
        Assert.IsType<AnswerCheck.Skip>(AnswerRules.Check(question, "Skip", false));
        Assert.IsType<AnswerCheck.Keep>(AnswerRules.Check(question, "不变", hasAnswer: true));
        Assert.Equal(new AnswerCheck.Accepted("不变"), AnswerRules.Check(question, "不变", hasAnswer: false));
    }

    [Theory]
    [InlineData("互联网", "互联网")]
    [InlineData(" 互联网。", "互联网")]
    [InlineData("ai", "AI")]
    [InlineData("金融", "金融")]
    public void A_choice_typed_out_is_the_choice_as_the_organizer_wrote_it(string typed, string choice)
    {
        var question = Choice("行业", "汽车", "互联网", "AI", "金融");

        Assert.Equal(new AnswerCheck.Accepted(choice), AnswerRules.Check(question, typed, false));
    }

    [Fact]
    public void Text_that_is_no_choice_is_refused_for_a_choice_question()
    {
        Assert.IsType<AnswerCheck.NotAChoice>(AnswerRules.Check(Choice("行业", "汽车", "互联网"), "制造业", false));
    }

    [Fact]
    public void An_edit_keeps_the_id_of_every_unchanged_text_and_takes_out_the_rest()
    {
        // Arrange
        StoredQuestion[] stored =
        [
            new(1, Text("公司", required: true), IsRemoved: false),
            new(2, Choice("行业", "汽车", "金融"), IsRemoved: false),
            new(3, Text("职位"), IsRemoved: true),
        ];

        // Act: 行业 gets a choice, 公司 goes, 职位 comes back, 城市 is new.
        var plan = QuestionPlan.Make(stored, [Choice("行业", "汽车", "金融", "互联网"), Text("职位"), Text("城市")]);

        // Assert
        Assert.True(plan.IsChange);
        Assert.Equal([2L, 3L, null], plan.Wanted.Select(w => w.Id));
        Assert.Equal([1L], plan.Removed);
    }

    [Fact]
    public void A_text_differing_only_in_full_width_punctuation_is_the_same_question()
    {
        StoredQuestion[] stored = [new(1, Text("这场你最想聊什么？"), false)];

        var plan = QuestionPlan.Make(stored, [Text("这场你最想聊什么?")]);

        Assert.Equal([1L], plan.Wanted.Select(w => w.Id));
        Assert.Empty(plan.Removed);
        Assert.Contains(QuestionSyntax.Parse("什么？ ; 什么?").Problems, p => p.Error == QuestionError.DuplicateText);
    }

    [Fact]
    public void The_same_questions_again_are_no_change()
    {
        StoredQuestion[] stored = [new(1, Text("公司", required: true), false), new(2, Choice("行业", "汽车", "金融"), false)];

        var plan = QuestionPlan.Make(stored, [Text("公司", required: true), Choice("行业", "汽车", "金融")]);

        Assert.False(plan.IsChange);
        Assert.Empty(plan.Removed);
        Assert.True(QuestionPlan.Make(stored, [Choice("行业", "汽车", "金融"), Text("公司", required: true)]).IsChange);
    }

    [Fact]
    public void Button_data_round_trips_and_fits_telegrams_limit()
    {
        // Arrange
        var cases = new (string Data, QuestionButton Expected)[]
        {
            (CallbackData.Questions.Choose(long.MaxValue, 10), new QuestionButton.Choose(long.MaxValue, 10)),
            (CallbackData.Questions.Skip(7), new QuestionButton.Skip(7)),
            (CallbackData.Questions.Keep(7), new QuestionButton.Keep(7)),
            (CallbackData.Questions.Edit(42), new QuestionButton.Edit(42)),
        };

        foreach (var (data, expected) in cases)
        {
            // Act
            Assert.StartsWith("qa:", data, StringComparison.Ordinal);
            Assert.True(CallbackData.Questions.TryParse(data[3..], out var button));

            // Assert
            Assert.Equal(expected, button);
            Assert.True(Encoding.UTF8.GetByteCount(data) <= CallbackData.MaxBytes);
        }
    }

    [Theory]
    [InlineData("a:7")]
    [InlineData("a:7:0")]
    [InlineData("a:07:1")]
    [InlineData("s:7:1")]
    [InlineData("x:7")]
    [InlineData("e:-1")]
    [InlineData("")]
    [InlineData("k: 7")]
    public void Forged_button_data_does_not_parse(string payload)
    {
        Assert.False(CallbackData.Questions.TryParse(payload, out _));
    }

    [Fact]
    public void The_tally_counts_each_choice_and_old_choices_apart()
    {
        // Arrange
        SessionQuestion[] questions = [new(1, 1, Text("公司")), new(2, 2, Choice("行业", "汽车", "互联网"))];
        (long, string)[] answers = [(1, "腾讯"), (1, "阿里"), (2, "汽车"), (2, "汽车"), (2, "互联网"), (2, "金融")];

        // Act
        var tallies = AnswerSummary.Tally(questions, answers);

        // Assert
        Assert.Equal(2, tallies[0].Answered);
        Assert.Equal(4, tallies[1].Answered);
        Assert.Equal([("汽车", 2), ("互联网", 1)], tallies[1].Choices);
        Assert.Equal(1, tallies[1].Other);
    }

    [Fact]
    public void A_question_shows_its_choices_skip_and_keep_as_buttons()
    {
        // Arrange
        var texts = new Texts(Language.Chinese, Beijing);
        var question = new SessionQuestion(5, 2, Choice("行业", "汽车", "互联网"));

        // Act
        var reply = texts.AskQuestion(question, total: 3, current: "汽车");

        // Assert
        Assert.Contains("问题 2/3：行业", reply.Text, StringComparison.Ordinal);
        Assert.Contains("当前回答：汽车", reply.Text, StringComparison.Ordinal);
        Assert.Equal(["汽车", "互联网", "保持不变", "跳过"], reply.Buttons.Select(b => b.Text));
        Assert.Equal(["qa:a:5:1", "qa:a:5:2", "qa:k:5", "qa:s:5"], reply.Buttons.Select(b => b.Data));
    }
}

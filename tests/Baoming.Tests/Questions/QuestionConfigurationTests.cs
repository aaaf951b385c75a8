using Baoming.Hosting;
using Baoming.Sessions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Baoming.Tests.Questions;

/// <summary><c>Sessions:N:Questions</c> out of the rules stops start-up with a line naming the key, indexes included.</summary>
public sealed class QuestionConfigurationTests
{
    private static OptionsValidationException Refused(Dictionary<string, string?> questions)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Sessions:0:Key"] = "metaverse",
            ["Sessions:0:Title"] = "到底什么是“元宇宙”",
            ["Sessions:0:StartsAt"] = "2027-02-17T20:00:00+08:00",
            ["Sessions:1:Key"] = "auto",
            ["Sessions:1:Title"] = "汽车",
            ["Sessions:1:StartsAt"] = "2027-02-18T20:00:00+08:00",
            ["Sessions:1:Questions:0:Text"] = "公司",
        };
        foreach (var (key, value) in questions)
        {
            settings[key] = value;
        }

        var builder = BaomingHost.CreateBuilder(settings);
        builder.Services.AddBaoming(builder.Configuration, "Host=127.0.0.1;Port=1");
        using var services = builder.Services.BuildServiceProvider();
        return Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<SessionCatalogOptions>>().Value);
    }

    [Theory]
    [InlineData("Sessions:1:Questions:1:Choices:0", "汽车", "Sessions:1:Questions:1:Choices must list at least 2 choices")]
    [InlineData("Sessions:1:Questions:1:Choices:1", "", "Sessions:1:Questions:1:Choices:1 must not be empty.")]
    [InlineData("Sessions:1:Questions:1:Choices:1", "汽车", "Sessions:1:Questions:1:Choices:1 \"汽车\" duplicates another choice of Sessions:1:Questions:1:Choices.")]
    [InlineData("Sessions:1:Questions:1:Choices:1", "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一", "Sessions:1:Questions:1:Choices:1 must be at most 30 characters")]
    [InlineData("Sessions:1:Questions:1:Text", "公司", "Sessions:1:Questions:1:Text \"公司\" is already the text of another question")]
    public void A_bad_question_is_refused_naming_its_key(string key, string value, string expected)
    {
        // Arrange: question 1 of session 1 is a choice question whose first choice is 汽车.
        var questions = new Dictionary<string, string?>
        {
            ["Sessions:1:Questions:1:Text"] = "行业",
            ["Sessions:1:Questions:1:Choices:0"] = "汽车",
            [key] = value,
        };
        // Act
        var refused = Refused(questions);

        // Assert
        Assert.Contains(expected, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void More_than_ten_questions_or_ten_choices_are_refused()
    {
        // Arrange
        var questions = new Dictionary<string, string?>();
        for (var i = 0; i < 11; i++)
        {
            questions[$"Sessions:0:Questions:{i}:Text"] = $"问题{i}";
            questions[$"Sessions:0:Questions:0:Choices:{i}"] = $"选项{i}";
        }

        // Act
        var refused = Refused(questions);

        // Assert
        Assert.Contains("Sessions:0:Questions may list at most 10 questions (has 11).", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Sessions:0:Questions:0:Choices may list at most 10 choices (has 11).", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_question_text_over_the_cap_is_refused()
    {
        var refused = Refused(new() { ["Sessions:0:Questions:0:Text"] = new string('问', 101) });

        Assert.Contains("Sessions:0:Questions:0:Text must be at most 100 characters (has 101).", refused.Message, StringComparison.Ordinal);
    }
}

using Baoming.Core.Export;

namespace Baoming.Core.Tests.Export;

public sealed class FormulaGuardTests
{
    [Theory]
    [InlineData("=HYPERLINK(\"http://x\",\"y\")")]
    [InlineData("+1")]
    [InlineData("-2")]
    [InlineData("@cmd")]
    [InlineData("\tx")]
    [InlineData("\rx")]
    [InlineData("=")]
    public void Text_that_a_spreadsheet_could_run_as_a_formula_gets_a_leading_apostrophe(string text) =>
        Assert.Equal("'" + text, FormulaGuard.Neutralise(text));

    [Theory]
    [InlineData("")]
    [InlineData("张三")]
    [InlineData("a=b")]
    [InlineData("1+1")]
    [InlineData("'quoted")]
    [InlineData("\nnewline first")]
    public void Other_text_is_left_alone(string text) => Assert.Equal(text, FormulaGuard.Neutralise(text));

    [Theory]
    [InlineData("＝HYPERLINK(\"http://x\",\"y\")")]
    [InlineData("＋1")]
    [InlineData("－2")]
    [InlineData("＠cmd")]
    [InlineData(" =1+1")]
    [InlineData("  +1")]
    [InlineData("\t\t=1")]
    [InlineData("\u3000=1")]
    [InlineData(" ＝1")]
    public void Full_width_formula_characters_and_blanks_before_a_formula_character_are_guarded_too(string text) =>
        Assert.Equal("'" + text, FormulaGuard.Neutralise(text));

    [Theory]
    [InlineData(" 张三")]
    [InlineData("   ")]
    [InlineData("a ＝ b")]
    public void Blanks_before_ordinary_text_are_left_alone(string text) => Assert.Equal(text, FormulaGuard.Neutralise(text));

    [Fact]
    public void Numbers_we_write_ourselves_are_not_text_and_are_not_prefixed()
    {
        var cell = ExportCell.FromNumber(-5);

        Assert.Null(cell.Text);
        Assert.Equal(-5L, cell.Value);
    }
}

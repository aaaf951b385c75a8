using System.Globalization;
using System.Text;
using Baoming.Core.Understanding;
using Xunit.Abstractions;
using static Baoming.Core.Tests.CommunitySessions;

namespace Baoming.Core.Tests.Corpus;

/// <summary>
/// Reads every phrasing in phrasings.tsv the way the conversation does (the parser's intent, then the
/// session matcher over the open sessions) and compares the outcome with the one written beside it.
/// The bar: at least 98 % understood, and not one sign-up the reader did not ask for.
/// </summary>
public sealed class PhrasingCorpusTests(ITestOutputHelper output)
{
    private const double RequiredShare = 0.98;

    private static readonly Session[] Open = [Auto, Metaverse];

    [Fact]
    public void The_bot_understands_at_least_98_percent_of_the_corpus_and_never_signs_up_wrongly()
    {
        // Arrange
        var phrasings = Load();

        // Act
        var misses = new List<string>();
        var wrongSignups = new List<string>();
        foreach (var (message, expected, line) in phrasings)
        {
            var actual = Outcome(message);
            if (actual == expected)
            {
                continue;
            }

            var miss = string.Create(CultureInfo.InvariantCulture, $"line {line}: \"{message}\" expected {expected}, got {actual}");
            misses.Add(miss);
            if (actual.StartsWith("signup:", StringComparison.Ordinal))
            {
                wrongSignups.Add(miss);
            }
        }

        // Assert
        var share = 1.0 - ((double)misses.Count / phrasings.Count);
        var report = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"{phrasings.Count} phrasings, {share:P1} understood, {wrongSignups.Count} wrong sign-ups.\n")
            .AppendJoin('\n', misses)
            .ToString();
        output.WriteLine(report);
        Assert.True(phrasings.Count >= 300, report);
        Assert.True(wrongSignups.Count == 0, report);
        Assert.True(share >= RequiredShare, report);
    }

    [Fact]
    public void The_corpus_holds_at_least_50_phrasings_that_must_not_sign_up()
    {
        var phrasings = Load();

        var mustNotSignUp = phrasings.Count(p => !p.Expected.StartsWith("signup:", StringComparison.Ordinal));

        Assert.True(mustNotSignUp >= 50, $"{mustNotSignUp} phrasings that must not sign up");
    }

    /// <summary>What the conversation does with a private message, in the corpus's words.</summary>
    private static string Outcome(string message) => MessageParser.Parse(message) switch
    {
        Intent.SignUp { Query: null } or Intent.Start { Payload: null } => "list",
        Intent.SignUp { Query: { } query } => SessionMatcher.Match(query, Open, Shanghai) switch
        {
            MatchResult.One one when SessionMatcher.IsOnlyAbout(query, one.Session, Shanghai) => "signup:" + one.Session.Key,
            MatchResult.One one => "buttons:" + one.Session.Key,
            MatchResult.Many many => "buttons:" + Keys(many.Sessions),
            _ => "list",
        },
        Intent.Ask { Query: var query } => (query is null ? new MatchResult.None() : SessionMatcher.Match(query, Open, Shanghai)) switch
        {
            MatchResult.One one => "buttons:" + one.Session.Key,
            MatchResult.Many many => "buttons:" + Keys(many.Sessions),
            _ => "list",
        },

        // As if the reader were signed up for both sessions: a named one is cancelled, else the cancel buttons.
        Intent.Cancel { Query: var query, IsQuestion: var isQuestion } =>
            (isQuestion ? "cancel?" : "cancel") + (query is not null && SessionMatcher.Match(query, Open, Shanghai) is MatchResult.One one ? ":" + one.Session.Key : ""),
        Intent.MySignups => "my",
        Intent.Help => "help",
        Intent.Note => "note",
        Intent.Start { Payload: { } payload } => "start:" + payload,
        Intent.Command command => "command:" + command.Name,
        _ => "hint",
    };

    private static string Keys(IEnumerable<Session> sessions) => string.Join(',', sessions.Select(s => s.Key));

    private static List<(string Message, string Expected, int Line)> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Corpus", "phrasings.tsv");
        var phrasings = new List<(string, string, int)>();
        var line = 0;
        foreach (var row in File.ReadLines(path, Encoding.UTF8))
        {
            line++;
            if (row.Length == 0 || row[0] == '#')
            {
                continue;
            }

            var tab = row.LastIndexOf('\t');
            Assert.True(tab > 0, $"line {line}: no TAB between message and outcome");
            phrasings.Add((Unescape(row[..tab]), row[(tab + 1)..].Trim(), line));
        }

        return phrasings;
    }

    /// <summary>\u200B-style escapes, so invisible characters can be written down.</summary>
    private static string Unescape(string text) => System.Text.RegularExpressions.Regex.Unescape(text);
}

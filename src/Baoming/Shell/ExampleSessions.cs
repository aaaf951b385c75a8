using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Baoming.Shell;

/// <summary>
/// The sample's sessions (<c>appsettings.sample.json</c>, copied beside the binary as documentation):
/// what the shell shows on its own database when nothing configures sessions. They are never a
/// default of the bot, so they cannot mix with, or stand in for, an operator's sessions.
/// </summary>
public static class ExampleSessions
{
    public const string SampleFileName = "appsettings.sample.json";

    /// <summary>
    /// The sample's <c>Sessions</c> as configuration keys (<c>Sessions:0:Key</c>, …), each one whose start
    /// is before <paramref name="now"/> moved on by whole weeks (same weekday and hour), so the shell
    /// has something to sign up for whenever it is tried. Empty when the sample is not there.
    /// </summary>
    public static Dictionary<string, string?> Load(DateTimeOffset now, string? folder = null)
    {
        var path = Path.Combine(folder ?? AppContext.BaseDirectory, SampleFileName);
        if (!File.Exists(path))
        {
            return [];
        }

        var sessions = new ConfigurationBuilder().AddJsonFile(path, optional: false, reloadOnChange: false).Build().GetSection("Sessions");
        var settings = sessions.AsEnumerable().Where(pair => pair.Value is not null).ToDictionary(StringComparer.OrdinalIgnoreCase);
        foreach (var session in sessions.GetChildren())
        {
            if (DateTimeOffset.TryParse(session["StartsAt"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var startsAt) && startsAt < now)
            {
                var weeks = Math.Ceiling((now - startsAt).TotalDays / 7);
                settings[ConfigurationPath.Combine(session.Path, "StartsAt")] = startsAt.AddDays(7 * weeks).ToString("O", CultureInfo.InvariantCulture);
            }
        }

        return settings;
    }
}

using System.Collections;
using System.ComponentModel;
using System.Reflection;
using Baoming.AfterSession;
using Baoming.Community;
using Baoming.Delivery;
using Baoming.Jobs;
using Baoming.Platform;
using Baoming.Reminders;
using Baoming.Sessions;
using Baoming.Storage;
using Baoming.Storage.Embedded;
using Baoming.Telegram;
using Microsoft.Extensions.Configuration;

namespace Baoming.Hosting;

/// <summary>
/// Refuses keys that no option reads. The binder ignores them, so a typo (<c>Telegram__MaxMessagePerSecond</c>)
/// would otherwise leave the default in force without a word. Only the sections bound to options are checked:
/// <c>Logging</c>, <c>ConnectionStrings</c> and anything unbound may hold what they like.
/// </summary>
public static class UnknownSettings
{
    /// <summary>Each bound section and the types it binds to (<c>Sessions</c> is a list at the root).</summary>
    private static readonly (string Section, Type[] Types)[] Bound =
    [
        (TelegramOptions.Section, [typeof(TelegramOptions), typeof(SendRateOptions)]),
        (CommunityOptions.Section, [typeof(CommunityOptions)]),
        (RemindersOptions.Section, [typeof(RemindersOptions)]),
        (JobsOptions.Section, [typeof(JobsOptions)]),
        (HttpOptions.Section, [typeof(HttpOptions)]),
        (EmbeddedPostgresOptions.SectionName, [typeof(EmbeddedPostgresOptions)]),
        (RetentionOptions.Section, [typeof(RetentionOptions)]),
        (AfterSessionOptions.Section, [typeof(AfterSessionOptions)]),
        ("Sessions", [typeof(List<SessionConfig>)]),
        ("Series", [typeof(List<Series.SeriesConfig>)]),
    ];

    /// <summary>Throws, as a failed option would, when a bound section has a key no option reads.</summary>
    public static void ThrowIfAny(IConfiguration configuration)
    {
        var problems = Find(configuration);
        if (problems.Count > 0)
        {
            throw new OptionsValidationException("Configuration", typeof(UnknownSettings), problems);
        }
    }

    /// <summary>One line per unknown key, naming it and the nearest key its section knows.</summary>
    public static IReadOnlyList<string> Find(IConfiguration configuration)
    {
        var problems = new List<string>();
        foreach (var (section, types) in Bound)
        {
            Check(configuration.GetSection(section), types, problems);
        }

        return problems;
    }

    /// <summary>A key is known when any of <paramref name="types"/> reads it.</summary>
    private static void Check(IConfigurationSection section, Type[] types, List<string> problems)
    {
        var type = types[0];
        if (IsScalar(type) || IsDictionary(type))
        {
            return;
        }

        if (ElementOf(type) is { } element)
        {
            foreach (var item in section.GetChildren())
            {
                Check(item, [element], problems);
            }

            return;
        }

        var properties = types.SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            .Where(p => p.GetMethod?.IsPublic == true && p.SetMethod?.IsPublic == true && p.GetIndexParameters().Length == 0)
            .ToList();
        foreach (var child in section.GetChildren())
        {
            var property = properties.Find(p => p.Name.Equals(child.Key, StringComparison.OrdinalIgnoreCase));
            if (property is not null)
            {
                Check(child, [property.PropertyType], problems);
                continue;
            }

            var nearest = properties.MinBy(p => Distance(p.Name.ToUpperInvariant(), child.Key.ToUpperInvariant()));
            problems.Add(nearest is null
                ? $"Unknown setting {child.Path}."
                : $"Unknown setting {child.Path} — did you mean {ConfigurationPath.Combine(section.Path, nearest.Name)}?");
        }
    }

    private static bool IsScalar(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal)
            || TypeDescriptor.GetConverter(type).CanConvertFrom(typeof(string));
    }

    private static bool IsDictionary(Type type) =>
        typeof(IDictionary).IsAssignableFrom(type)
        || type.GetInterfaces().Append(type).Any(i => i.IsGenericType && i.GetGenericTypeDefinition() is var d
            && (d == typeof(IDictionary<,>) || d == typeof(IReadOnlyDictionary<,>)));

    /// <summary>The element type of a list or array the binder fills, or null for anything else.</summary>
    private static Type? ElementOf(Type type) =>
        type.IsArray
            ? type.GetElementType()
            : type.GetInterfaces().Append(type)
                .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];

    /// <summary>Levenshtein distance: edits to turn one name into the other.</summary>
    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        var current = new int[b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}

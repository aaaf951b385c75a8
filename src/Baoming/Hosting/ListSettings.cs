using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Primitives;

namespace Baoming.Hosting;

/// <summary>
/// Settings whose value is a list come from one source: the highest-priority source that sets one at
/// all gives all of it. .NET merges configuration arrays by index, so without this an operator's file
/// with one session under a file with two gave two sessions, the first inheriting the other file's
/// capacity and aliases.
/// </summary>
public static class ListSettings
{
    /// <summary>The list-valued settings. (Each session's own lists come with its <c>Sessions</c> source.)</summary>
    public static readonly IReadOnlyList<string> Paths = ["Sessions", "Series", "Reminders:Offsets", "Community:Admins", "Community:Organizers"];

    /// <summary>Whether any source sets <paramref name="path"/>, an empty JSON array (<c>"Sessions": []</c>) included.</summary>
    public static bool IsSet(IConfigurationRoot configuration, string path) => configuration.Providers.Any(p => Sets(p, path));

    /// <summary>Hides each list-valued setting from every source but the highest-priority one that sets it.</summary>
    public static void TakeEachFromOneSource(IConfigurationBuilder builder)
    {
        var providers = ((IConfigurationRoot)builder).Providers.ToList();
        if (providers.Count != builder.Sources.Count)
        {
            // ConfigurationManager builds one provider per source, in order; anything else would need another way in.
            throw new InvalidOperationException("Configuration sources and providers do not line up.");
        }

        var hidden = new Dictionary<int, List<string>>();
        foreach (var path in Paths)
        {
            var winner = providers.FindLastIndex(p => Sets(p, path));
            for (var i = 0; i < winner; i++)
            {
                if (Sets(providers[i], path))
                {
                    (hidden.TryGetValue(i, out var paths) ? paths : hidden[i] = []).Add(path);
                }
            }
        }

        foreach (var (index, paths) in hidden)
        {
            builder.Sources[index] = new HidingSource(builder.Sources[index], paths);
        }
    }

    private static bool Sets(IConfigurationProvider provider, string path) =>
        provider.TryGet(path, out _) || provider.GetChildKeys([], path).Any();

    /// <summary>A source with some settings hidden.</summary>
    private sealed class HidingSource(IConfigurationSource inner, IReadOnlyList<string> hidden) : IConfigurationSource
    {
        public IConfigurationProvider Build(IConfigurationBuilder builder) => new HidingProvider(inner.Build(builder), hidden);
    }

    private sealed class HidingProvider(IConfigurationProvider inner, IReadOnlyList<string> hidden) : IConfigurationProvider
    {
        public bool TryGet(string key, out string? value)
        {
            value = null;
            return !IsHidden(key) && inner.TryGet(key, out value);
        }

        public void Set(string key, string? value) => inner.Set(key, value);

        public IChangeToken GetReloadToken() => inner.GetReloadToken();

        public void Load() => inner.Load();

        public IEnumerable<string> GetChildKeys(IEnumerable<string> earlierKeys, string? parentPath) =>
            earlierKeys
                .Concat(inner.GetChildKeys([], parentPath).Where(key => !IsHidden(parentPath is null ? key : ConfigurationPath.Combine(parentPath, key))))
                .OrderBy(key => key, ConfigurationKeyComparer.Instance);

        private bool IsHidden(string key) => hidden.Any(path =>
            key.Equals(path, StringComparison.OrdinalIgnoreCase) || key.StartsWith(path + ConfigurationPath.KeyDelimiter, StringComparison.OrdinalIgnoreCase));
    }
}

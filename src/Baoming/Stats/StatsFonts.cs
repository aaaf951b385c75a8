using SkiaSharp;

namespace Baoming.Stats;

/// <summary>
/// The font charts are drawn with: one with Chinese glyphs, found on disk and registered with ScottPlot by file.
/// Why by file: the SkiaSharp native library ScottPlot ships on Linux (SkiaSharp.NativeAssets.Linux.NoDependencies)
/// is built without fontconfig. Its font manager lists the files under /usr/share/fonts, but cannot pick a font
/// for a character (<c>SKFontManager.MatchCharacter</c> answers null, so ScottPlot's <c>Fonts.Detect</c> finds
/// nothing), and its default family is whatever it read first. A chart left to itself draws 报名 as boxes.
/// </summary>
public static class StatsFonts
{
    /// <summary>The name charts ask ScottPlot for; it resolves to <see cref="Path"/>.</summary>
    public const string Name = "Baoming CJK";

    /// <summary>Characters the font must have: the two the bot is named after.</summary>
    public const string Probe = "报名";

    /// <summary>What <c>.ci/run</c> and the Dockerfile install: the smallest maintained Debian/Ubuntu package with Simplified Chinese glyphs.</summary>
    public const string Package = "fonts-wqy-microhei";

    /// <summary>Where the usual CJK fonts live, ours first: Debian/Ubuntu, Fedora/Arch, macOS, Windows.</summary>
    private static readonly string[] KnownFiles =
    [
        "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
        "/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc",
        "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
        "/System/Library/Fonts/PingFang.ttc",
        "/System/Library/Fonts/STHeiti Medium.ttc",
        @"C:\Windows\Fonts\msyh.ttc",
        @"C:\Windows\Fonts\simhei.ttf",
    ];

    /// <summary>Folders searched when none of <see cref="KnownFiles"/> is there (a font copied in by hand).</summary>
    private static readonly string[] Folders =
    [
        "/usr/share/fonts",
        "/usr/local/share/fonts",
        System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local/share/fonts"),
        System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".fonts"),
    ];

    private static readonly Lazy<string?> Found = new(Register, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The font file in use, or null when no font with Chinese glyphs is installed.</summary>
    public static string? Path => Found.Value;

    /// <summary>The font file in use; throws <see cref="StatsFontMissingException"/> with what to install when there is none.</summary>
    public static string Require() => Found.Value ?? throw new StatsFontMissingException(MissingMessage);

    /// <summary>What to do when no font with Chinese glyphs is installed.</summary>
    public const string MissingMessage =
        $"No font with Chinese glyphs is installed, so charts cannot be drawn. Install one, e.g. `sudo apt-get install {Package}` " +
        "(or put any .ttf/.ttc/.otf with Chinese characters under /usr/share/fonts or /usr/local/share/fonts).";

    /// <summary>Whether the typeface ScottPlot draws <see cref="Name"/> with has glyphs for all of <paramref name="text"/>.</summary>
    public static bool Covers(string text)
    {
        Require();
        return ScottPlot.Fonts.GetTypeface(Name, bold: false, italic: false).ContainsGlyphs(text)
            && ScottPlot.Fonts.GetTypeface(Name, bold: true, italic: false).ContainsGlyphs(text);
    }

    private static string? Register()
    {
        var path = KnownFiles.FirstOrDefault(HasChinese) ?? Search();
        if (path is not null)
        {
            // Titles are bold: the same file answers for both weights (Skia thickens it), else a bold title would fall back.
            ScottPlot.Fonts.AddFontFile(Name, path, bold: false, italic: false);
            ScottPlot.Fonts.AddFontFile(Name, path, bold: true, italic: false);
        }

        return path;
    }

    private static string? Search()
    {
        foreach (var folder in Folders.Where(Directory.Exists))
        {
            IEnumerable<string> files;
            try
            {
                files = Directory.EnumerateFiles(folder, "*.*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true })
                    .Where(f => f.EndsWith(".ttf", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".ttc", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".otf", StringComparison.OrdinalIgnoreCase))
                    .Order(StringComparer.Ordinal)
                    .ToList();
            }
            catch (IOException)
            {
                continue;
            }

            if (files.FirstOrDefault(HasChinese) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    private static bool HasChinese(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        using var typeface = SKTypeface.FromFile(path);
        return typeface is not null && typeface.ContainsGlyphs(Probe);
    }
}

/// <summary>No font with Chinese glyphs is installed: a chart would show boxes, so none is drawn. The message says what to install.</summary>
public sealed class StatsFontMissingException : Exception
{
    public StatsFontMissingException()
    {
    }

    public StatsFontMissingException(string message)
        : base(message)
    {
    }

    public StatsFontMissingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

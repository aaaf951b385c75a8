using System.ComponentModel.DataAnnotations;
using Baoming.Core.Organizers;

namespace Baoming.Series;

/// <summary>One entry of the top-level <c>Series</c> configuration array: sessions held again and again under one name.</summary>
public sealed class SeriesConfig
{
    [Required(ErrorMessage = "Series:N:Key is required.")]
    [RegularExpression("^[A-Za-z0-9_-]{1,64}$", ErrorMessage = "Series:N:Key must be 1-64 characters of A-Z, a-z, 0-9, _ or -.")]
    public string Key { get; set; } = "";

    [Required(ErrorMessage = "Series:N:Title is required.")]
    [StringLength(SessionLimits.MaxTitleLength, MinimumLength = 1, ErrorMessage = "Series:N:Title must be {2}-{1} characters.")]
    public string Title { get; set; } = "";

    [MaxLength(SessionLimits.MaxAliases, ErrorMessage = "Series:N:Aliases may list at most {1} aliases.")]
    public List<string> Aliases { get; set; } = [];
}

public sealed class SeriesCatalogOptions
{
    [ValidateEnumeratedItems]
    public List<SeriesConfig> Series { get; set; } = [];
}

[OptionsValidator]
public sealed partial class SeriesCatalogOptionsValidator : IValidateOptions<SeriesCatalogOptions>;

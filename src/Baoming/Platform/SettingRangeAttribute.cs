using System.ComponentModel.DataAnnotations;

namespace Baoming.Platform;

/// <summary>
/// <see cref="RangeAttribute"/> for settings, whose <c>ErrorMessage</c> (naming the key, e.g.
/// "Jobs:WorkerCount must be between 1 and 100.") reaches the operator. The options source generator
/// replaces a plain <c>[Range]</c> with its own copy that ignores <c>ErrorMessage</c> and names the C#
/// property instead (https://github.com/dotnet/runtime/issues/123137); a derived attribute is used as it is.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SettingRangeAttribute : RangeAttribute
{
    public SettingRangeAttribute(int minimum, int maximum)
        : base(minimum, maximum)
    {
    }

    /// <summary>Time spans, limits written as <c>d.hh:mm:ss</c> in invariant culture.</summary>
    public SettingRangeAttribute(string minimum, string maximum)
        : base(typeof(TimeSpan), minimum, maximum)
    {
        ParseLimitsInInvariantCulture = true;
        ConvertValueInInvariantCulture = true;
    }
}

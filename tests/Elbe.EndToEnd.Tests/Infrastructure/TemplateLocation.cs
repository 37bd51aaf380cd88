using System.Text.RegularExpressions;

namespace Elbe.EndToEnd.Tests.Infrastructure;

/// <summary>Line numbers inside template text, and the line an error message points at.</summary>
public static class TemplateLocation
{
    /// <summary>The 1-based line of the first line containing <paramref name="marker"/>.</summary>
    public static int LineOf(string template, string marker)
    {
        var lines = template.Split('\n');
        var index = Array.FindIndex(lines, line => line.Contains(marker, StringComparison.Ordinal));
        Assert.True(index >= 0, $"The test template has no line containing '{marker}'.");
        return index + 1;
    }

    /// <summary>
    /// The line number an error message gives right after the file name ("file.yaml:12:7", "file.yaml, line 12"),
    /// or null when the message does not name the file followed by a number.
    /// </summary>
    public static int? LineNamedAfterFile(string message, string fileName)
    {
        var match = Regex.Match(message, Regex.Escape(fileName) + @"\D{0,12}?(\d+)");
        return match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
    }
}

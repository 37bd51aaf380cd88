using System.Globalization;

namespace Elbe.ControlPlane.Api.Shapes;

/// <summary>The <c>Limit</c> shape of DescribeAccountLimits; <c>Max</c> travels as a string.</summary>
public static class LimitShape
{
    public static void Write(AwsXmlWriter w, (string Name, int Max) limit) =>
        w.Value("Name", limit.Name).Value("Max", limit.Max.ToString(CultureInfo.InvariantCulture));
}

using System.Globalization;

namespace Elbe.ControlPlane.Api;

/// <summary>
/// Marker/PageSize paging for Describe* calls: PageSize 1-400 (default 400 is the AWS maximum), the marker is
/// an opaque token (the base64 of the next offset), and NextMarker is present only when more results exist.
/// </summary>
public static class Pagination
{
    public const int MaxPageSize = 400;

    public static (IReadOnlyList<T> Page, string? NextMarker) Paginate<T>(IReadOnlyList<T> items, QueryParameters parameters, int maxPageSize = MaxPageSize)
    {
        var pageSize = parameters.GetInt("PageSize") ?? maxPageSize;
        if (pageSize < 1)
            throw ApiException.Constraint("pageSize", pageSize.ToString(CultureInfo.InvariantCulture), "Member must have value greater than or equal to 1");
        if (pageSize > maxPageSize)
            throw ApiException.Constraint("pageSize", pageSize.ToString(CultureInfo.InvariantCulture), $"Member must have value less than or equal to {maxPageSize}");
        var offset = 0;
        if (parameters.Get("Marker") is { Length: > 0 } marker && !TryDecode(marker, out offset))
            throw ApiException.Validation("The specified marker is not valid");
        if (offset > items.Count) offset = items.Count;
        var count = Math.Min(pageSize, items.Count - offset);
        var page = new List<T>(count);
        for (var i = 0; i < count; i++) page.Add(items[offset + i]);
        var next = offset + count < items.Count ? Encode(offset + count) : null;
        return (page, next);
    }

    private static string Encode(int offset) => Convert.ToBase64String(BitConverter.GetBytes(offset));

    private static bool TryDecode(string marker, out int offset)
    {
        offset = 0;
        Span<byte> bytes = stackalloc byte[8];
        if (!Convert.TryFromBase64String(marker, bytes, out var written) || written != 4) return false;
        offset = BitConverter.ToInt32(bytes[..4]);
        return offset >= 0;
    }
}

using Elbe.ControlPlane.Api;

namespace Elbe.ControlPlane.Tests.Api;

public sealed class PaginationTests
{
    private static readonly int[] Items = [.. Enumerable.Range(1, 5)];

    private static QueryParameters Parse(params (string Key, string Value)[] pairs) =>
        new(pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal));

    [Fact]
    public void A_page_that_holds_everything_has_no_next_marker()
    {
        var (page, next) = Pagination.Paginate(Items, Parse(("PageSize", "5")));

        Assert.Equal(Items, page);
        Assert.Null(next);
    }

    [Fact]
    public void Markers_walk_every_item_once_and_end_without_a_marker()
    {
        var seen = new List<int>();
        string? marker = null;
        for (var pages = 1; pages <= 10; pages++)
        {
            var parameters = marker is null ? Parse(("PageSize", "2")) : Parse(("PageSize", "2"), ("Marker", marker));
            var (page, next) = Pagination.Paginate(Items, parameters);
            seen.AddRange(page);
            Assert.NotEqual(marker, next);
            marker = next;
            if (marker is null) break;
        }

        Assert.Equal(Items, seen);
        Assert.Null(marker);
    }

    [Theory]
    [InlineData("0", "greater than or equal to 1")]
    [InlineData("-3", "greater than or equal to 1")]
    [InlineData("401", "less than or equal to 400")]
    public void A_page_size_outside_1_to_400_names_the_bound_it_breaks(string size, string bound)
    {
        var error = Assert.Throws<ApiException>(() => Pagination.Paginate(Items, Parse(("PageSize", size))));

        Assert.Equal("ValidationError", error.Code);
        Assert.Equal($"1 validation error detected: Value '{size}' at 'pageSize' failed to satisfy constraint: Member must have value {bound}", error.Message);
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("AAAAAAAAAAA=")]
    [InlineData("/////w==")]
    public void A_marker_this_server_did_not_hand_out_is_refused(string marker)
    {
        var error = Assert.Throws<ApiException>(() => Pagination.Paginate(Items, Parse(("Marker", marker))));

        Assert.Equal(("ValidationError", 400), (error.Code, error.StatusCode));
    }
}

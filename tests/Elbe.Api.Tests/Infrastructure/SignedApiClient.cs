using System.Net;
using System.Text;
using Elbe.ControlPlane.Signing;

namespace Elbe.Api.Tests.Infrastructure;

/// <summary>
/// Speaks to the API the way boto3 does: POST / with a form body <c>Action=…&amp;Version=2015-12-01&amp;…</c>,
/// each key and value percent-encoded per RFC 3986, signed with SigV4 over content-type, host and x-amz-date.
/// </summary>
public sealed class SignedApiClient : IDisposable
{
    public const string Elbv2Version = "2015-12-01";
    public const string ClassicVersion = "2012-06-01";
    public const string Elbv2Namespace = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/";
    public const string FormContentType = "application/x-www-form-urlencoded; charset=utf-8";

    private readonly HttpClient _http;

    public SignedApiClient(Uri baseUrl, string accessKeyId = TestCredentials.AccessKeyId, string secretAccessKey = TestCredentials.SecretAccessKey,
        string region = TestCredentials.Region)
    {
        BaseUrl = baseUrl;
        AccessKeyId = accessKeyId;
        SecretAccessKey = secretAccessKey;
        Region = region;
        _http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseUrl { get; }
    public string AccessKeyId { get; }
    public string SecretAccessKey { get; }
    public string Region { get; }
    /// <summary>The API version sent when a call does not say; the Classic ELB tests set 2012-06-01.</summary>
    public string Version { get; init; } = Elbv2Version;

    /// <summary>The signature of the last request sent, to compare with the server's view when a test fails.</summary>
    public SigV4Signature? LastSignature { get; private set; }

    public Task<ApiResponse> CallAsync(string action, ApiRequestParameters? parameters = null, ApiRequestOverrides? overrides = null) =>
        CallAsync(action, (IEnumerable<KeyValuePair<string, string>>?)parameters, overrides);

    public Task<ApiResponse> CallAsync(string action, IEnumerable<KeyValuePair<string, string>>? parameters, ApiRequestOverrides? overrides = null)
    {
        overrides ??= new ApiRequestOverrides();
        var pairs = new List<KeyValuePair<string, string>> { new("Action", action), new("Version", overrides.Version ?? Version) };
        if (parameters is not null) pairs.AddRange(parameters);
        return SendFormAsync(FormBody(pairs), overrides);
    }

    /// <summary>Sends an already encoded form body, signed; for requests botocore would never build.</summary>
    public async Task<ApiResponse> SendFormAsync(string body, ApiRequestOverrides? overrides = null)
    {
        overrides ??= new ApiRequestOverrides();
        var bytes = Encoding.UTF8.GetBytes(body);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/");
        request.Content = new ByteArrayContent(bytes);
        request.Content.Headers.TryAddWithoutValidation("Content-Type", FormContentType);

        if (!overrides.Unsigned)
        {
            var amzDate = SigV4Signer.FormatDate(overrides.Date ?? DateTimeOffset.UtcNow);
            request.Headers.TryAddWithoutValidation("X-Amz-Date", amzDate);
            var signed = new SigV4Request("POST", "/", [],
            [
                new("content-type", FormContentType),
                new("host", BaseUrl.Authority),
                new("x-amz-date", amzDate),
            ], SigV4Signer.PayloadHash(bytes));
            LastSignature = SigV4Signer.Sign(signed, overrides.AccessKeyId ?? AccessKeyId, overrides.SecretAccessKey ?? SecretAccessKey, amzDate,
                overrides.Region ?? Region, overrides.Service ?? SigV4Signer.Service);
            request.Headers.TryAddWithoutValidation("Authorization", LastSignature.AuthorizationHeader);
        }

        if (overrides.BodyAfterSigning is { } tampered)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(tampered));
            request.Content.Headers.TryAddWithoutValidation("Content-Type", FormContentType);
        }
        overrides.AfterSigning?.Invoke(request);
        return await SendAsync(request);
    }

    /// <summary>Sends a request as it is, no signing; for GET forms and hand-made headers.</summary>
    public async Task<ApiResponse> SendAsync(HttpRequestMessage request)
    {
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in response.Headers) headers[name] = string.Join(",", values);
        foreach (var (name, values) in response.Content.Headers) headers[name] = string.Join(",", values);
        return new ApiResponse(response.StatusCode, text, headers);
    }

    /// <summary>Asserts an AWS error document with this code and HTTP status.</summary>
    public static ApiResponse AssertError(ApiResponse response, string code, int status = 400) => response.AssertError(code, status);

    /// <summary>key=value pairs joined by '&amp;', each side encoded as botocore's query serializer does.</summary>
    public static string FormBody(IEnumerable<KeyValuePair<string, string>> pairs) =>
        string.Join('&', pairs.Select(p => SigV4Signer.Encode(p.Key) + "=" + SigV4Signer.Encode(p.Value)));

    public void Dispose() => _http.Dispose();
}

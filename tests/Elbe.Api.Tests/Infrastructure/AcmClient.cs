using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Elbe.ControlPlane.Signing;

namespace Elbe.Api.Tests.Infrastructure;

/// <summary>
/// Speaks ACM's JSON protocol the way botocore does: POST / with <c>X-Amz-Target: CertificateManager.Op</c>, an
/// <c>application/x-amz-json-1.1</c> JSON body, SigV4 over content-type, host, x-amz-date and x-amz-target,
/// scoped to service <c>acm</c> (or another, to test refusals).
/// </summary>
public sealed class AcmClient(Uri baseUrl, string region = TestCredentials.Region) : IDisposable
{
    public const string ContentType = "application/x-amz-json-1.1";

    private readonly HttpClient _http = new() { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };

    public async Task<AcmResponse> CallAsync(string operation, JsonObject? input = null, string service = "acm", string? secretAccessKey = null)
    {
        var bytes = Encoding.UTF8.GetBytes((input ?? []).ToJsonString());
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
        var target = "CertificateManager." + operation;
        var amzDate = SigV4Signer.FormatDate(DateTimeOffset.UtcNow);
        request.Headers.TryAddWithoutValidation("X-Amz-Date", amzDate);
        request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        var signed = new SigV4Request("POST", "/", [],
        [
            new("content-type", ContentType),
            new("host", baseUrl.Authority),
            new("x-amz-date", amzDate),
            new("x-amz-target", target),
        ], SigV4Signer.PayloadHash(bytes));
        var signature = SigV4Signer.Sign(signed, TestCredentials.AccessKeyId, secretAccessKey ?? TestCredentials.SecretAccessKey, amzDate, region, service);
        request.Headers.TryAddWithoutValidation("Authorization", signature.AuthorizationHeader);
        using var response = await _http.SendAsync(request);
        return new AcmResponse(response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
    }

    public static JsonObject Blobs(params (string Name, string Text)[] members)
    {
        var input = new JsonObject();
        foreach (var (name, text) in members) input[name] = Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
        return input;
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>One ACM answer: status, content type and the JSON body.</summary>
public sealed record AcmResponse(HttpStatusCode Status, string? ContentType, string Body)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public JsonElement AssertOk()
    {
        Assert.True(Status == HttpStatusCode.OK, $"expected 200, got {(int)Status}: {Body}");
        return Json;
    }

    /// <summary>Asserts ACM's JSON error shape: {"__type": code, "message": ...}; returns the message.</summary>
    public string AssertError(string code, HttpStatusCode status = HttpStatusCode.BadRequest)
    {
        Assert.True(Status == status, $"expected {(int)status} {code}, got {(int)Status}: {Body}");
        Assert.Equal(AcmClient.ContentType, ContentType);
        Assert.Equal(code, Json.GetProperty("__type").GetString());
        return Json.GetProperty("message").GetString()!;
    }
}

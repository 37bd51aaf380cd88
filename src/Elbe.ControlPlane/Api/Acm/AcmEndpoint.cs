using System.Buffers;
using System.Text.Json;
using Elbe.ControlPlane.Certificates;
using Elbe.ControlPlane.State;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Elbe.ControlPlane.Api.Acm;

/// <summary>
/// ACM's JSON protocol on the API port: POST / with <c>X-Amz-Target: CertificateManager.&lt;Operation&gt;</c>, an
/// <c>application/x-amz-json-1.1</c> body, SigV4 scoped to service <c>acm</c>. Answers are JSON objects; errors are
/// <c>{"__type": code, "message": text}</c> with HTTP 400 (signature failures keep their status), as ACM sends them.
/// </summary>
public static class AcmEndpoint
{
    public const string TargetPrefix = "CertificateManager.";
    public const string ContentType = "application/x-amz-json-1.1";
    public const string SigningService = "acm";

    public static bool Handles(HttpRequest request) =>
        request.Headers["X-Amz-Target"].ToString().StartsWith(TargetPrefix, StringComparison.Ordinal);

    public static async Task HandleAsync(HttpContext context, byte[] body, ISignatureVerifier verifier, IConfigurationStore store, ILogger logger)
    {
        var requestId = Guid.NewGuid().ToString();
        try
        {
            var identity = verifier.Verify(context.Request, body, SigningService);
            var operation = context.Request.Headers["X-Amz-Target"].ToString()[TargetPrefix.Length..];
            if (!AcmActions.TryGet(operation, out var handler))
                throw new AcmException("UnknownOperationException", $"Operation {operation} is not supported.");
            var call = new AcmCall(AcmRequest.Parse(body), identity.Region, identity.AccountId, store, DateTimeOffset.UtcNow);
            var output = await handler(call);
            await WriteAsync(context, 200, requestId, w =>
            {
                w.WriteStartObject();
                output?.Invoke(w);
                w.WriteEndObject();
            });
        }
        catch (AcmException error)
        {
            await WriteErrorAsync(context, 400, requestId, error.Code, error.Message);
        }
        catch (ApiException error)
        {
            // The signature checks speak the query APIs' codes; JSON services name the same failures differently.
            await WriteErrorAsync(context, error.StatusCode, requestId, JsonProtocolCode(error.Code), error.Message);
        }
        catch (Exception) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away mid-request: there is no one to answer.
        }
        catch (Exception unexpected) when (unexpected is not OperationCanceledException)
        {
            logger.LogError(unexpected, "ACM request {RequestId} failed", requestId);
            await WriteErrorAsync(context, 500, requestId, "InternalFailure", "The request processing has failed because of an unknown error, exception or failure.");
        }
    }

    private static string JsonProtocolCode(string code) => code switch
    {
        "MissingAuthenticationToken" => "MissingAuthenticationTokenException",
        "InvalidClientTokenId" => "UnrecognizedClientException",
        "SignatureDoesNotMatch" or "RequestExpired" => "InvalidSignatureException",
        "IncompleteSignature" => "IncompleteSignatureException",
        _ => code,
    };

    private static Task WriteErrorAsync(HttpContext context, int status, string requestId, string code, string message) =>
        WriteAsync(context, status, requestId, w =>
        {
            w.WriteStartObject();
            w.WriteString("__type", code);
            w.WriteString("message", message);
            w.WriteEndObject();
        });

    private static async Task WriteAsync(HttpContext context, int status, string requestId, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
            write(writer);
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = ContentType;
        response.Headers["x-amzn-RequestId"] = requestId;
        response.ContentLength = buffer.WrittenCount;
        await response.Body.WriteAsync(buffer.WrittenMemory);
    }
}

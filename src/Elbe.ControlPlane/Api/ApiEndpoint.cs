using System.Net;
using System.Text;
using Elbe.ControlPlane.Api.Acm;
using Elbe.ControlPlane.State;
using Elbe.Model.Resources;
using Elbe.Model.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Elbe.ControlPlane.Api;

/// <summary>
/// The AWS query API over HTTP: POST / with a form body (GET /?Action=… too), signed with SigV4, answered with
/// XML in the API's namespace; requests carrying X-Amz-Target: CertificateManager.* go to <see cref="AcmEndpoint"/>. Every failure is an AWS error document, never a crash.
/// </summary>
public sealed class ApiEndpoint : IAsyncDisposable
{
    // ACM accepts a certificate chain of up to 2 MB, which arrives base64-encoded inside a JSON body: 4 MiB holds it.
    private const int MaxBodyBytes = 4 * 1024 * 1024;

    private readonly WebApplication _app;

    private ApiEndpoint(WebApplication app) => _app = app;

    public static async Task<ApiEndpoint> StartAsync(IPEndPoint endpoint, ApiActionTable actions, ISignatureVerifier verifier, IConfigurationStore store,
        ITargetHealthSource health, IReadOnlyList<Subnet>? subnets, string dataDirectory, HostFacts host, ILogger logger, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = MaxBodyBytes;
            k.Listen(endpoint);
        });
        var app = builder.Build();
        app.Run(context => HandleAsync(context, actions, verifier, store, health, subnets, dataDirectory, host, logger));
        await app.StartAsync(cancellationToken);
        return new ApiEndpoint(app);
    }

    private static async Task HandleAsync(HttpContext context, ApiActionTable actions, ISignatureVerifier verifier, IConfigurationStore store, ITargetHealthSource health, IReadOnlyList<Subnet>? subnets, string dataDirectory, HostFacts host, ILogger logger)
    {
        var requestId = Guid.NewGuid().ToString();
        string? version = null;
        try
        {
            // Refused before a byte of it is read, so a client that sent Expect: 100-continue never sends it.
            if (context.Request.ContentLength > MaxBodyBytes)
                throw new ApiException("ValidationError", $"The request body must be at most {MaxBodyBytes} bytes", StatusCodes.Status413PayloadTooLarge);
            var body = await ReadBodyAsync(context.Request);
            if (AcmEndpoint.Handles(context.Request))
            {
                // ACM's JSON protocol shares the port; it answers its own errors in its own shape.
                await AcmEndpoint.HandleAsync(context, body, verifier, store, logger);
                return;
            }
            var parameters = ParseParameters(context.Request, body);
            version = parameters.GetValueOrDefault("Version");
            var action = parameters.GetValueOrDefault("Action");
            var identity = verifier.Verify(context.Request, body);
            RefuseNonXmlText(parameters);
            if (string.IsNullOrEmpty(action))
                throw new ApiException("MissingAction", "Missing Action");
            if (!actions.TryGet(version ?? "", action, out var handler))
                throw new ApiException("InvalidAction", $"Could not find operation {action} for version {version ?? "NO_VERSION_SPECIFIED"}");

            var call = new ApiCall(new QueryParameters(parameters), identity.Region, identity.AccountId, store, health, subnets, dataDirectory, host);
            var result = await handler(call);
            await WriteAsync(context, 200, requestId, AwsXmlWriter.Response(action, ApiActionTable.NamespaceFor(version), requestId, result));
        }
        catch (ApiException error)
        {
            await WriteAsync(context, error.StatusCode, requestId, AwsXmlWriter.Error(error, ApiActionTable.NamespaceFor(version), requestId));
        }
        catch (ModelValidationException invalid)
        {
            // The model's validators name AWS error codes already; every one of them is a 400.
            var error = new ApiException(invalid.Code, invalid.Message);
            await WriteAsync(context, 400, requestId, AwsXmlWriter.Error(error, ApiActionTable.NamespaceFor(version), requestId));
        }
        catch (BadHttpRequestException bad)
        {
            // Kestrel refuses an oversized or malformed body while it is read: the client's fault, so a 4xx it
            // will not retry, not a 500.
            var message = bad.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? $"The request body must be at most {MaxBodyBytes} bytes"
                : "The request could not be read: " + bad.Message;
            var error = new ApiException("ValidationError", message, bad.StatusCode is >= 400 and < 500 ? bad.StatusCode : 400);
            await WriteAsync(context, error.StatusCode, requestId, AwsXmlWriter.Error(error, ApiActionTable.NamespaceFor(version), requestId));
        }
        catch (Exception) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away mid-request: there is no one to answer.
        }
        catch (Exception unexpected) when (unexpected is not OperationCanceledException)
        {
            logger.LogError(unexpected, "API request {RequestId} failed", requestId);
            var error = new ApiException("InternalFailure", "The request processing has failed because of an unknown error, exception or failure.", 500);
            await WriteAsync(context, 500, requestId, AwsXmlWriter.Error(error, ApiActionTable.NamespaceFor(version), requestId));
        }
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    /// <summary>Form body parameters, plus query-string ones (GET form). Values are form-decoded ('+' is a space).</summary>
    private static Dictionary<string, string> ParseParameters(HttpRequest request, byte[] body)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in request.Query) parameters[key] = value.ToString();
        if (body.Length > 0)
        {
            foreach (var pair in Encoding.UTF8.GetString(body).Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = pair.IndexOf('=');
                var key = Decode(eq < 0 ? pair : pair[..eq]);
                parameters[key] = eq < 0 ? "" : Decode(pair[(eq + 1)..]);
            }
        }
        return parameters;
    }

    /// <summary>A value XML cannot carry could never be echoed back: refuse it up front rather than fail mid-response.</summary>
    private static void RefuseNonXmlText(Dictionary<string, string> parameters)
    {
        foreach (var (key, value) in parameters)
        {
            for (var i = 0; i < value.Length; i++)
            {
                var c = value[i];
                var ok = char.IsHighSurrogate(c) && i + 1 < value.Length
                    ? System.Xml.XmlConvert.IsXmlSurrogatePair(value[++i], c)
                    : System.Xml.XmlConvert.IsXmlChar(c);
                if (!ok)
                    throw ApiException.Validation($"Value at '{new QueryParameters(parameters).MemberName(key)}' contains a character that is not allowed");
            }
        }
    }

    private static string Decode(string text) => WebUtility.UrlDecode(text);

    private static Task WriteAsync(HttpContext context, int status, string requestId, string xml)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "text/xml";
        response.Headers["x-amzn-RequestId"] = requestId;
        return response.WriteAsync(xml, Encoding.UTF8);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

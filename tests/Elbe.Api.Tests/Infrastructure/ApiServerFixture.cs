namespace Elbe.Api.Tests.Infrastructure;

/// <summary>
/// One API server shared by the tests of a class (<c>IClassFixture&lt;ApiServerFixture&gt;</c>). Tests sharing it
/// must not depend on the server being empty: give resources unique names.
/// </summary>
public sealed class ApiServerFixture : IAsyncLifetime
{
    private ApiHarness? _harness;

    public ApiHarness Harness => _harness ?? throw new InvalidOperationException("The API server has not started.");
    public SignedApiClient Client => Harness.Client;
    public AwsCli Cli => Harness.Cli;

    public async Task InitializeAsync() => _harness = await ApiHarness.StartAsync();

    public async Task DisposeAsync()
    {
        if (_harness is not null) await _harness.DisposeAsync();
    }
}

namespace Elbe.ControlPlane.Tests.State;

/// <summary>A fresh data directory under the system temp directory, removed with everything in it on dispose.</summary>
internal sealed class TemporaryDataDirectory : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "elbe-state-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}

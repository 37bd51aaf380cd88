using System.Security.Cryptography;
using Elbe.Model.Resources;

namespace Elbe.ControlPlane.Templates;

/// <summary>
/// Reloads a template when it changes and reports the result. Change notification comes from a
/// FileSystemWatcher on the directory (editors often write a new file and rename it over the old one, which a
/// watcher on the file itself would miss) with a periodic check as a fallback for file systems that do not
/// notify. Bursts of events are debounced, and content already seen raises nothing.
/// A failed reload leaves the current configuration as it was.
/// </summary>
public sealed class TemplateWatcher : IDisposable
{
    private readonly string _path;
    private readonly string _fileName;
    private readonly TemplateLoadContext _context;
    private readonly TimeSpan _debounce;
    private readonly TimeSpan _pollInterval;
    private readonly Lock _gate = new();
    private readonly Timer _debounceTimer;
    private Timer? _pollTimer;
    private FileSystemWatcher? _watcher;
    private FileStat _lastStat;
    // True once the content was read long enough after its last write time that a later write must show in the stat.
    private bool _statSettled;
    private byte[]? _lastSeenHash;
    private bool _disposed;

    /// <param name="context">Region, account and subnets for every reload; its <see cref="TemplateLoadContext.Previous"/> is the configuration in effect now.</param>
    public TemplateWatcher(string path, TemplateLoadContext context, TimeSpan? debounce = null, TimeSpan? pollInterval = null)
    {
        _path = Path.GetFullPath(path);
        _fileName = Path.GetFileName(_path);
        _context = context;
        Current = context.Previous;
        _debounce = debounce ?? TimeSpan.FromMilliseconds(200);
        _pollInterval = pollInterval ?? TimeSpan.FromSeconds(1);
        _debounceTimer = new Timer(_ => Reload(), null, Timeout.Infinite, Timeout.Infinite);
    }

    /// <summary>A new configuration was loaded from the changed template.</summary>
    public event Action<ElbeConfiguration>? Loaded;

    /// <summary>
    /// The file's content changed (raised before <see cref="Loaded"/>/<see cref="Failed"/>). When nobody listens to
    /// those two, the watcher does not load the template at all and only raises this.
    /// </summary>
    public event Action? ContentChanged;

    /// <summary>The changed template was refused; <see cref="Current"/> is unchanged.</summary>
    public event Action<TemplateException>? Failed;

    /// <summary>The last configuration loaded (or the one the watcher started from).</summary>
    public ElbeConfiguration? Current { get; private set; }

    /// <summary>What the last successful reload ignored.</summary>
    public IReadOnlyList<TemplateWarning> Warnings { get; private set; } = [];

    /// <summary>
    /// Starts watching. The file's content now counts as already applied, so only later edits raise events;
    /// load it yourself first (or pass <paramref name="loadNow"/>) to get the initial configuration.
    /// </summary>
    public void Start(bool loadNow = false)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!loadNow) _lastSeenHash = TryRead(out _, out var hash) ? hash : null;
            _lastStat = Stat();
            _watcher = new FileSystemWatcher(Path.GetDirectoryName(_path)!)
            {
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
                IncludeSubdirectories = false,
            };
            _watcher.Changed += OnFileEvent;
            _watcher.Created += OnFileEvent;
            _watcher.Renamed += OnFileEvent;
            _watcher.Deleted += OnFileEvent;
            _watcher.EnableRaisingEvents = true;
            _pollTimer = new Timer(_ => Poll(), null, _pollInterval, _pollInterval);
        }
        if (loadNow) Reload();
    }

    private void OnFileEvent(object sender, FileSystemEventArgs e)
    {
        var ours = string.Equals(e.Name, _fileName, StringComparison.Ordinal)
            || e is RenamedEventArgs r && string.Equals(r.OldName, _fileName, StringComparison.Ordinal);
        if (ours) Schedule();
    }

    private void Schedule()
    {
        lock (_gate)
        {
            if (!_disposed) _debounceTimer.Change(_debounce, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>
    /// The coarsest file timestamp in use (FAT's 2 s). A write within this long of the previous one can leave the
    /// write time as it was; a later one cannot.
    /// </summary>
    private static readonly TimeSpan TimestampGranularity = TimeSpan.FromSeconds(2);

    private readonly record struct FileStat(long Length, DateTime WriteTime, DateTime CreationTime);

    private void Poll()
    {
        var stat = Stat();
        bool changed, settled;
        lock (_gate)
        {
            changed = stat != _lastStat;
            if (changed) _statSettled = false;
            _lastStat = stat;
            settled = _statSettled;
        }
        if (changed)
        {
            Schedule();
            return;
        }
        // An unchanged stat proves nothing while the write time is recent: an edit in the same timestamp granule
        // keeps it. Read the content until it has been read once with the write time safely in the past; from then
        // on any edit changes the stat, so polling costs a stat call, not a read and a hash of the file.
        if (settled) return;
        var readAt = DateTime.UtcNow;
        ReloadIfContentChanged();
        lock (_gate)
        {
            if (_lastStat == stat && stat.Length >= 0 && readAt - stat.WriteTime >= TimestampGranularity) _statSettled = true;
        }
    }

    private FileStat Stat()
    {
        try
        {
            var info = new FileInfo(_path);
            // The creation time tells a file renamed over the template from the one it replaced.
            return info.Exists ? new FileStat(info.Length, info.LastWriteTimeUtc, info.CreationTimeUtc) : new FileStat(-1, DateTime.MinValue, DateTime.MinValue);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new FileStat(-1, DateTime.MinValue, DateTime.MinValue);
        }
    }

    private void ReloadIfContentChanged()
    {
        if (!TryRead(out _, out var hash)) return;
        bool differs;
        lock (_gate) differs = _lastSeenHash is null || !hash.AsSpan().SequenceEqual(_lastSeenHash);
        if (differs) Schedule();
    }

    private bool TryRead(out string text, out byte[] hash)
    {
        text = "";
        hash = [];
        try
        {
            var bytes = File.ReadAllBytes(_path);
            hash = SHA256.HashData(bytes);
            text = new StreamReader(new MemoryStream(bytes), detectEncodingFromByteOrderMarks: true).ReadToEnd();
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Mid-replace: the file is missing or locked for a moment; the next event or poll catches up.
            return false;
        }
    }

    private void Reload()
    {
        ElbeConfiguration? loaded = null;
        TemplateException? failure = null;
        lock (_gate)
        {
            if (_disposed || !TryRead(out var text, out var hash)) return;
            if (_lastSeenHash is not null && hash.AsSpan().SequenceEqual(_lastSeenHash)) return;
            _lastSeenHash = hash;
            // A caller that loads the template itself, against its own state, only needs to hear of the change:
            // loading it here as well would parse and validate every edit twice.
            if (Loaded is not null || Failed is not null)
            {
                var context = _context with { Previous = Current, Warnings = [] };
                try
                {
                    loaded = TemplateLoader.Load(text, _path, context);
                    Current = loaded;
                    Warnings = context.Warnings;
                }
                catch (TemplateException e)
                {
                    failure = e;
                }
            }
        }
        // Raised outside the lock so a handler may read Current or dispose the watcher.
        ContentChanged?.Invoke();
        if (loaded is not null) Loaded?.Invoke(loaded);
        else if (failure is not null) Failed?.Invoke(failure);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            _watcher?.Dispose();
            _pollTimer?.Dispose();
            _debounceTimer.Dispose();
        }
    }
}

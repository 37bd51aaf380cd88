using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Elbe.Hosting;
using Elbe.Model.Resources;

// Counts what Elbe allocates per forwarded request: hosts an ElbeServer in this process (no API, no logging),
// drives it with wrk from outside (so the client allocates nothing here), and divides the bytes this process
// allocated during the run by the requests wrk completed. The targets must be running (bench/alloc-probe.sh).
// With "idle" instead of SECONDS it reports the live managed heap per held keep-alive connection instead: the
// heap after a full collection, before and while load/idle_connections.py holds COUNT connections.
// Usage: allocation-probe TEMPLATE URL SECONDS [WRK_ARGS...]
//        allocation-probe TEMPLATE URL idle COUNT IDLE_CONNECTIONS_PY
if (args.Length < 3)
{
    Console.Error.WriteLine("usage: allocation-probe TEMPLATE URL SECONDS [WRK_ARGS...] | TEMPLATE URL idle COUNT IDLE_CONNECTIONS_PY");
    return 2;
}
// As the elbe command does first thing, so the probe runs the listeners as production does.
Elbe.DataPlane.Listeners.Tls.ProcessTlsDefaults.Enable();
Elbe.DataPlane.Listeners.InlineSocketCompletions.Enable();
var data = Directory.CreateTempSubdirectory("elbe-allocation-probe-");
// BENCH_LOOPBACK_OCTET moves the nodes to 127.N.1.4 as in run.sh, so the probe can run beside a benchmark.
var octet = Environment.GetEnvironmentVariable("BENCH_LOOPBACK_OCTET");
IReadOnlyList<Subnet>? subnets = octet is null ? null :
[
    new("subnet-0000000000000000a", "us-east-1a", $"127.{octet}.1.0/24"),
    new("subnet-0000000000000000b", "us-east-1b", $"127.{octet}.2.0/24"),
    new("subnet-0000000000000000c", "us-east-1c", $"127.{octet}.3.0/24"),
];
await using var server = await ElbeServer.StartAsync(new ElbeServerOptions { ConfigPath = args[0], DataDirectory = data.FullName, Subnets = subnets });
if (args[2] == "idle")
{
    await RunWrkAsync(args[1], 2, ["-t1", "-c8"]);
    var uri = new Uri(args[1]);
    var before = LiveHeapBytes();
    var holder = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
    foreach (var arg in new[] { args[4], uri.Host, uri.Port.ToString(CultureInfo.InvariantCulture), args[3] }) holder.ArgumentList.Add(arg);
    using var idle = Process.Start(holder)!;
    var ready = (await idle.StandardOutput.ReadLineAsync())?.Split(' ');
    var held = ready is { Length: 3 } ? long.Parse(ready[1], CultureInfo.InvariantCulture) : 0;
    var during = LiveHeapBytes();
    idle.StandardInput.Close();
    await idle.WaitForExitAsync();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{held} connections held, {(during - before) / Math.Max(1, held)} bytes of live managed heap each"));
    data.Delete(recursive: true);
    return 0;
}

// Warm-up: tiered compilation and pools settle before counting.
await RunWrkAsync(args[1], 2, args[3..]);
using var sampler = new Elbe.Bench.AllocationProbe.AllocationSampler();
sampler.Counting = true;
GC.Collect();
var bytesBefore = GC.GetTotalAllocatedBytes(precise: true);
var gen0Before = GC.CollectionCount(0);
var gen1Before = GC.CollectionCount(1);
var gen2Before = GC.CollectionCount(2);
var requests = await RunWrkAsync(args[1], int.Parse(args[2], CultureInfo.InvariantCulture), args[3..]);
var bytes = GC.GetTotalAllocatedBytes(precise: true) - bytesBefore;
sampler.Counting = false;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{requests} requests, {bytes / Math.Max(1, requests)} bytes allocated per request, GCs gen0 {GC.CollectionCount(0) - gen0Before} gen1 {GC.CollectionCount(1) - gen1Before} gen2 {GC.CollectionCount(2) - gen2Before}"));
foreach (var (type, share) in sampler.Top(25))
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {share,6:P1}  ~{share * bytes / Math.Max(1, requests),6:F0} B/request  {type}"));
data.Delete(recursive: true);
return 0;

static long LiveHeapBytes()
{
    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    GC.WaitForPendingFinalizers();
    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    return GC.GetGCMemoryInfo(GCKind.FullBlocking).HeapSizeBytes - GC.GetGCMemoryInfo(GCKind.FullBlocking).FragmentedBytes;
}

static async Task<long> RunWrkAsync(string url, int seconds, string[] wrkArgs)
{
    var start = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, UseShellExecute = false };
    foreach (var arg in wrkArgs) start.ArgumentList.Add(arg);
    start.ArgumentList.Add($"-d{seconds}s");
    start.ArgumentList.Add(url);
    using var wrk = Process.Start(start)!;
    var output = await wrk.StandardOutput.ReadToEndAsync();
    await wrk.WaitForExitAsync();
    var match = Regex.Match(output, @"(\d+) requests in");
    return match.Success ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
}

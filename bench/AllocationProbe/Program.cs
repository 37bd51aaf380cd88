using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Elbe.Hosting;

// Counts what Elbe allocates per forwarded request: hosts an ElbeServer in this process (no API, no logging),
// drives it with wrk from outside (so the client allocates nothing here), and divides the bytes this process
// allocated during the run by the requests wrk completed. The targets must be running (bench/alloc-probe.sh).
// Usage: allocation-probe TEMPLATE URL SECONDS [WRK_ARGS...]
if (args.Length < 3)
{
    Console.Error.WriteLine("usage: allocation-probe TEMPLATE URL SECONDS [WRK_ARGS...]");
    return 2;
}
var data = Directory.CreateTempSubdirectory("elbe-allocation-probe-");
await using var server = await ElbeServer.StartAsync(new ElbeServerOptions { ConfigPath = args[0], DataDirectory = data.FullName });

// Warm-up: tiered compilation and pools settle before counting.
await RunWrkAsync(args[1], 2, args[3..]);
GC.Collect();
var bytesBefore = GC.GetTotalAllocatedBytes(precise: true);
var gen0Before = GC.CollectionCount(0);
var gen1Before = GC.CollectionCount(1);
var gen2Before = GC.CollectionCount(2);
var requests = await RunWrkAsync(args[1], int.Parse(args[2], CultureInfo.InvariantCulture), args[3..]);
var bytes = GC.GetTotalAllocatedBytes(precise: true) - bytesBefore;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{requests} requests, {bytes / Math.Max(1, requests)} bytes allocated per request, GCs gen0 {GC.CollectionCount(0) - gen0Before} gen1 {GC.CollectionCount(1) - gen1Before} gen2 {GC.CollectionCount(2) - gen2Before}"));
data.Delete(recursive: true);
return 0;

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

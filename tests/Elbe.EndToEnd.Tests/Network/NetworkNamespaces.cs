using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Elbe.EndToEnd.Tests.Network;

/// <summary>
/// A client namespace and a target namespace, each joined to this (the load balancer's) namespace by a veth
/// pair, built with <c>ip</c> and removed again on dispose. The target side's traffic is delivered locally here
/// whatever its destination, as a host doing client IP preservation must arrange: the target answers the
/// client's address, and that answer has to come back to the load balancer's transparent socket.
/// </summary>
public sealed class NetworkNamespaces : IDisposable
{
    private const int CloneNewNet = 0x40000000;

    private readonly string _prefix;
    private readonly int _table;

    private NetworkNamespaces(int octet)
    {
        _prefix = $"elbe{octet}";
        _table = 1000 + octet;
        Octet = octet;
    }

    public int Octet { get; }
    public string ClientNamespace => $"{_prefix}-client";
    public string TargetNamespace => $"{_prefix}-target";
    /// <summary>The client's address in its namespace: subnet A (10.octet.1.0/24), where the load balancer's node is .4.</summary>
    public string ClientAddress => $"10.{Octet}.1.2";
    public string TargetAddress => $"10.{Octet}.2.2";
    public string SubnetA => $"10.{Octet}.1.0/24";
    public string SubnetB => $"10.{Octet}.3.0/24";
    public string NodeA => $"10.{Octet}.1.4";
    public string NodeB => $"10.{Octet}.3.4";

    /// <summary>Builds the namespaces; fails with ip's own words when the process may not (it needs CAP_NET_ADMIN).</summary>
    public static NetworkNamespaces Create(int octet)
    {
        var namespaces = new NetworkNamespaces(octet);
        namespaces.Remove();
        try
        {
            namespaces.Build();
        }
        catch
        {
            namespaces.Remove();
            throw;
        }
        return namespaces;
    }

    private void Build()
    {
        var (client, target) = ($"{_prefix}c", $"{_prefix}t");
        Ip($"netns add {ClientNamespace}");
        Ip($"netns add {TargetNamespace}");
        Ip($"link add {client} type veth peer name eth0 netns {ClientNamespace}");
        Ip($"link add {target} type veth peer name eth0 netns {TargetNamespace}");
        Ip($"addr add {NodeA}/24 dev {client}");
        Ip($"addr add {NodeB}/32 dev {client}");
        Ip($"addr add 10.{Octet}.2.1/24 dev {target}");
        Ip($"link set {client} up");
        Ip($"link set {target} up");
        Ip($"-n {ClientNamespace} addr add {ClientAddress}/24 dev eth0");
        Ip($"-n {ClientNamespace} link set eth0 up");
        Ip($"-n {ClientNamespace} link set lo up");
        Ip($"-n {ClientNamespace} route add default via {NodeA}");
        Ip($"-n {TargetNamespace} addr add {TargetAddress}/24 dev eth0");
        Ip($"-n {TargetNamespace} link set eth0 up");
        Ip($"-n {TargetNamespace} link set lo up");
        Ip($"-n {TargetNamespace} route add default via 10.{Octet}.2.1");
        // Replies from the target side to the client's address belong to the load balancer's transparent socket.
        Ip($"route add local default dev lo table {_table}");
        Ip($"rule add iif {target} lookup {_table} priority {_table}");
    }

    /// <summary>Runs <paramref name="action"/> on a thread that entered <paramref name="name"/>; sockets it makes stay in that namespace.</summary>
    public static T Inside<T>(string name, Func<T> action)
    {
        T result = default!;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var handle = File.OpenHandle($"/var/run/netns/{name}");
                if (SetNs((int)handle.DangerousGetHandle(), CloneNewNet) != 0)
                    throw new IOException($"setns into {name} failed with errno {Marshal.GetLastPInvokeError()}");
                result = action();
            }
            catch (Exception e)
            {
                error = e;
            }
        });
        thread.Start();
        // The thread exits with the namespace it entered; no pool thread ever runs in it.
        if (!thread.Join(TimeSpan.FromSeconds(10))) throw new TimeoutException($"The work inside {name} did not finish in 10 s.");
        return error is null ? result : throw new InvalidOperationException($"Inside {name}: {error.Message}", error);
    }

    private void Remove()
    {
        TryIp($"rule del iif {_prefix}t lookup {_table} priority {_table}");
        TryIp($"route flush table {_table}");
        // Deleting a namespace deletes its veth ends, and with them their peers here.
        TryIp($"netns del {ClientNamespace}");
        TryIp($"netns del {TargetNamespace}");
    }

    public void Dispose() => Remove();

    private static void Ip(string arguments)
    {
        var (code, error) = Run(arguments);
        if (code != 0)
            throw new InvalidOperationException($"`ip {arguments}` failed ({code}): {error.Trim()} — these tests build network namespaces and need root or CAP_NET_ADMIN.");
    }

    private static void TryIp(string arguments) => Run(arguments);

    private static (int Code, string Error) Run(string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo("ip", arguments) { RedirectStandardError = true, RedirectStandardOutput = true })
            ?? throw new InvalidOperationException("Could not start ip.");
        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromSeconds(10)))
        {
            process.Kill();
            throw new TimeoutException($"`ip {arguments}` did not finish in 10 s.");
        }
        return (process.ExitCode, error.Result);
    }

    [DllImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static extern int SetNs(int fd, int nstype);
}

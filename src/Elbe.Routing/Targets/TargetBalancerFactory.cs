namespace Elbe.Routing.Targets;

/// <summary>Builds the balancer for a target group's load_balancing.algorithm.type.</summary>
public static class TargetBalancerFactory
{
    public const string RoundRobin = "round_robin";
    public const string LeastOutstandingRequests = "least_outstanding_requests";
    public const string WeightedRandom = "weighted_random";

    /// <param name="slowStartMs">Only round_robin supports slow start; AWS rejects the other combinations, so it is ignored there.</param>
    public static ITargetBalancer Create(string algorithm, long slowStartMs) => algorithm switch
    {
        RoundRobin => new RoundRobinBalancer(slowStartMs),
        LeastOutstandingRequests => new LeastOutstandingRequestsBalancer(),
        WeightedRandom => new WeightedRandomBalancer(),
        _ => throw new ArgumentException($"Unknown load balancing algorithm '{algorithm}'.", nameof(algorithm)),
    };
}

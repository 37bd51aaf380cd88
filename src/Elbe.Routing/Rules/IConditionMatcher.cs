namespace Elbe.Routing.Rules;

/// <summary>
/// One compiled rule condition. The values inside a condition are ORed by the implementation; a rule ANDs its
/// matchers. Implementations are immutable, thread-safe and must not allocate in <see cref="Matches"/>.
/// </summary>
public interface IConditionMatcher
{
    bool Matches(in RoutingRequest request);
}

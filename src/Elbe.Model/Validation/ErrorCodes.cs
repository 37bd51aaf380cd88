namespace Elbe.Model.Validation;

/// <summary>The ELBv2 error codes validation reports, spelled exactly as the API returns them.</summary>
public static class ErrorCodes
{
    public const string ValidationError = "ValidationError";
    public const string InvalidConfigurationRequest = "InvalidConfigurationRequest";
    public const string InvalidLoadBalancerAction = "InvalidLoadBalancerAction";
    public const string TooManyActions = "TooManyActions";
    public const string TooManyTargetGroups = "TooManyTargetGroups";
    public const string TooManyListeners = "TooManyListeners";
    public const string TooManyRules = "TooManyRules";
    public const string TooManyTargets = "TooManyTargets";
    public const string TooManyLoadBalancers = "TooManyLoadBalancers";
    public const string TooManyUniqueTargetGroupsPerLoadBalancer = "TooManyUniqueTargetGroupsPerLoadBalancer";
    public const string PriorityInUse = "PriorityInUse";
    public const string DuplicateListener = "DuplicateListener";
    public const string DuplicateLoadBalancerName = "DuplicateLoadBalancerName";
    public const string DuplicateTargetGroupName = "DuplicateTargetGroupName";
    public const string LoadBalancerNotFound = "LoadBalancerNotFound";
    public const string ListenerNotFound = "ListenerNotFound";
    public const string TargetGroupNotFound = "TargetGroupNotFound";
    public const string TargetGroupAssociationLimit = "TargetGroupAssociationLimit";
    public const string IncompatibleProtocols = "IncompatibleProtocols";
    public const string InvalidTarget = "InvalidTarget";
    public const string CertificateNotFound = "CertificateNotFound";
}

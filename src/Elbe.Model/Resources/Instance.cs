namespace Elbe.Model.Resources;

/// <summary>An EC2-style instance: how an <c>instance</c> target id maps to an address we can connect to.</summary>
public sealed record Instance(string InstanceId, string PrivateIpAddress, string? SubnetId = null);

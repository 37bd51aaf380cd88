namespace Elbe.ControlPlane.Api.Shapes;

/// <summary>The <c>TrustStoreAssociation</c> shape: the ARN of a load balancer that uses the trust store.</summary>
public static class TrustStoreAssociationShape
{
    public static void Write(AwsXmlWriter w, string resourceArn) => w.Value("ResourceArn", resourceArn);
}

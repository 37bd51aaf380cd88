namespace Elbe.Tests.Certificates;

/// <summary>The key a generated certificate gets: the sizes and curves ACM accepts, plus P-224, which it refuses.</summary>
public enum TestKeyType { Rsa2048, Rsa4096, EcP256, EcP384, EcP224 }

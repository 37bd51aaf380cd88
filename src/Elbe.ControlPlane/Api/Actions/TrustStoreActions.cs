using System.Globalization;
using System.Text;
using Elbe.ControlPlane.Api.Shapes;
using Elbe.Model.Identifiers;
using Elbe.Model.Resources;

namespace Elbe.ControlPlane.Api.Actions;

/// <summary>
/// Trust stores for mutual TLS: CA bundles, their revocation lists, and which load balancers use them. CA
/// bundles and revocation lists are local files named by the S3 bucket and key members (see
/// <see cref="TrustStoreS3Object"/>); their content is copied into the configuration when the call runs, so the
/// trust store is ACTIVE as soon as the call returns.
/// </summary>
public static class TrustStoreActions
{
    private const string BundleFileName = "ca-certificates-bundle.pem";

    public static void Register(ApiActionTable table)
    {
        table.AddElbv2("CreateTrustStore", CreateTrustStoreAsync)
            .AddElbv2("DescribeTrustStores", DescribeTrustStoresAsync)
            .AddElbv2("ModifyTrustStore", ModifyTrustStoreAsync)
            .AddElbv2("DeleteTrustStore", DeleteTrustStoreAsync)
            .AddElbv2("AddTrustStoreRevocations", AddTrustStoreRevocationsAsync)
            .AddElbv2("RemoveTrustStoreRevocations", RemoveTrustStoreRevocationsAsync)
            .AddElbv2("DescribeTrustStoreRevocations", DescribeTrustStoreRevocationsAsync)
            .AddElbv2("GetTrustStoreCaCertificatesBundle", GetTrustStoreCaCertificatesBundleAsync)
            .AddElbv2("GetTrustStoreRevocationContent", GetTrustStoreRevocationContentAsync)
            .AddElbv2("DescribeTrustStoreAssociations", DescribeTrustStoreAssociationsAsync)
            .AddElbv2("DeleteSharedTrustStoreAssociation", DeleteSharedTrustStoreAssociationAsync);
    }

    /// <summary>Relative bucket paths resolve against the server's data directory.</summary>
    private static string SourceDirectory(ApiCall call) => call.DataDirectory;

    /// <summary>Where Get* calls put the copies they hand out.</summary>
    private static string DownloadDirectory(ApiCall call) => Path.Combine(call.DataDirectory, "downloads");

    private static async Task<Action<AwsXmlWriter>?> CreateTrustStoreAsync(ApiCall call)
    {
        var p = call.Parameters;
        var name = p.Require("Name");
        TrustStoreShape.CheckName(name);
        var source = BundleSource(p);
        var tags = TagShape.ReadList(p) ?? [];
        var bundle = await ReadBundleAsync(call, source);

        var id = Arns.NewId();
        var created = new TrustStore
        {
            Arn = TrustStore.ArnFor(call.Region, call.AccountId, name, id),
            Name = name,
            Id = id,
            CaCertificatesBundle = bundle.Pem,
            NumberOfCaCertificates = bundle.Certificates.Count,
            CreatedTime = DateTimeOffset.UtcNow,
            Tags = tags,
        };
        await call.Store.MutateAsync(config =>
        {
            if (config.TrustStores.Any(t => string.Equals(t.Name, name, StringComparison.Ordinal)))
                throw new ApiException("DuplicateTrustStoreName", $"A trust store with the name '{name}' already exists");
            if (config.TrustStores.Length >= TrustStore.MaxPerAccount)
                throw new ApiException("TooManyTrustStores", $"You've reached the limit on the number of trust stores for your account ({TrustStore.MaxPerAccount})");
            return (config with { TrustStores = config.TrustStores.Add(created) }, created);
        });
        return w => w.List("TrustStores", [created], TrustStoreShape.Write);
    }

    private static Task<Action<AwsXmlWriter>?> DescribeTrustStoresAsync(ApiCall call)
    {
        var p = call.Parameters;
        IReadOnlyList<TrustStore> selected = call.Store.Current.TrustStores;
        if (p.GetList("TrustStoreArns") is { Count: > 0 } arns)
            selected = Select(selected, arns, t => t.Arn);
        if (p.GetList("Names") is { Count: > 0 } names)
            selected = Select(selected, names, t => t.Name);
        var (page, next) = Pagination.Paginate(selected, p);
        return Result(w => w.List("TrustStores", page, TrustStoreShape.Write).Value("NextMarker", next));
    }

    private static async Task<Action<AwsXmlWriter>?> ModifyTrustStoreAsync(ApiCall call)
    {
        var p = call.Parameters;
        var arn = p.Require("TrustStoreArn");
        var source = BundleSource(p);
        Find(call.Store.Current, arn);
        var bundle = await ReadBundleAsync(call, source);
        var modified = await call.Store.MutateAsync(config =>
        {
            var (index, trustStore) = Find(config, arn);
            var next = trustStore with { CaCertificatesBundle = bundle.Pem, NumberOfCaCertificates = bundle.Certificates.Count };
            return (config with { TrustStores = config.TrustStores.SetItem(index, next) }, next);
        });
        return w => w.List("TrustStores", [modified], TrustStoreShape.Write);
    }

    private static async Task<Action<AwsXmlWriter>?> DeleteTrustStoreAsync(ApiCall call)
    {
        var arn = call.Parameters.Require("TrustStoreArn");
        await call.Store.MutateAsync(config =>
        {
            var (index, _) = Find(config, arn);
            if (TrustStoreAssociations.IsInUse(config, arn))
                throw new ApiException("TrustStoreInUse", $"Trust store '{arn}' is in use by a listener");
            return (config with { TrustStores = config.TrustStores.RemoveAt(index) }, true);
        });
        return null;
    }

    private static async Task<Action<AwsXmlWriter>?> AddTrustStoreRevocationsAsync(ApiCall call)
    {
        var p = call.Parameters;
        var arn = p.Require("TrustStoreArn");
        Find(call.Store.Current, arn);

        var lists = new List<TrustStoreRevocationList>();
        var contents = p.GetStructList("RevocationContents") ?? [];
        for (var i = 0; i < contents.Count; i++)
        {
            var content = contents[i];
            var at = $"revocationContents.{(i + 1).ToString(CultureInfo.InvariantCulture)}.member";
            if (content.Get("RevocationType") is { } type && type != TrustStoreRevocation.TypeCrl)
                throw ApiException.Constraint($"{at}.revocationType", type, "Member must satisfy enum value set: [CRL]");
            var source = new TrustStoreS3Object(
                content.Get("S3Bucket") ?? throw ApiException.Constraint($"{at}.s3Bucket", null, "Member must not be null"),
                content.Get("S3Key") ?? throw ApiException.Constraint($"{at}.s3Key", null, "Member must not be null"));
            var bytes = await source.ReadAsync(SourceDirectory(call),
                path => new ApiException("RevocationContentNotFound", $"The revocation file '{path}' was not found"),
                InvalidRevocationContent);
            lists.Add(TrustStoreRevocationList.Parse(bytes) ?? throw InvalidRevocationContent());
        }

        var added = await call.Store.MutateAsync(config =>
        {
            var (index, trustStore) = Find(config, arn);
            var issuers = TrustStoreCaBundle.Parse(Encoding.UTF8.GetBytes(trustStore.CaCertificatesBundle))?.Certificates ?? [];
            var total = trustStore.TotalRevokedEntries();
            var lastId = trustStore.LastRevocationId;
            var revocations = new List<TrustStoreRevocation>(lists.Count);
            foreach (var list in lists)
            {
                // A list can only revoke what one of the trust store's CAs issued.
                if (!list.IsIssuedByOneOf(issuers)) throw InvalidRevocationContent();
                total += list.RevokedSerialNumbers.Count;
                if (total > TrustStoreRevocation.MaxEntriesPerTrustStore)
                    throw new ApiException("TooManyTrustStoreRevocationEntries",
                        $"A trust store can hold at most {TrustStoreRevocation.MaxEntriesPerTrustStore} revocation entries");
                revocations.Add(new TrustStoreRevocation { RevocationId = ++lastId, Content = list.Pem, RevokedSerialNumbers = [.. list.RevokedSerialNumbers] });
            }
            var next = trustStore with { Revocations = trustStore.Revocations.AddRange(revocations), LastRevocationId = lastId };
            return (config with { TrustStores = config.TrustStores.SetItem(index, next) }, revocations);
        });
        return w => w.List("TrustStoreRevocations", added.Select(r => (arn, r)), TrustStoreRevocationShape.Write);
    }

    private static async Task<Action<AwsXmlWriter>?> RemoveTrustStoreRevocationsAsync(ApiCall call)
    {
        var p = call.Parameters;
        var arn = p.Require("TrustStoreArn");
        var ids = RevocationIds(p) ?? throw ApiException.Constraint("revocationIds", null, "Member must not be null");
        await call.Store.MutateAsync(config =>
        {
            var (index, trustStore) = Find(config, arn);
            foreach (var id in ids) FindRevocation(trustStore, id);
            var next = trustStore with { Revocations = trustStore.Revocations.RemoveAll(r => ids.Contains(r.RevocationId)) };
            return (config with { TrustStores = config.TrustStores.SetItem(index, next) }, true);
        });
        return null;
    }

    private static Task<Action<AwsXmlWriter>?> DescribeTrustStoreRevocationsAsync(ApiCall call)
    {
        var p = call.Parameters;
        var (_, trustStore) = Find(call.Store.Current, p.Require("TrustStoreArn"));
        IReadOnlyList<TrustStoreRevocation> selected = trustStore.Revocations;
        if (RevocationIds(p) is { Count: > 0 } ids)
            selected = [.. ids.Select(id => FindRevocation(trustStore, id))];
        var (page, next) = Pagination.Paginate(selected, p);
        return Result(w => w.List("TrustStoreRevocations", page.Select(r => (trustStore.Arn, r)), TrustStoreRevocationShape.Write)
            .Value("NextMarker", next));
    }

    private static async Task<Action<AwsXmlWriter>?> GetTrustStoreCaCertificatesBundleAsync(ApiCall call)
    {
        var (_, trustStore) = Find(call.Store.Current, call.Parameters.Require("TrustStoreArn"));
        var location = await TrustStoreContentFile.WriteAsync(DownloadDirectory(call), trustStore, BundleFileName, trustStore.CaCertificatesBundle);
        return w => w.Value("Location", location);
    }

    private static async Task<Action<AwsXmlWriter>?> GetTrustStoreRevocationContentAsync(ApiCall call)
    {
        var p = call.Parameters;
        var (_, trustStore) = Find(call.Store.Current, p.Require("TrustStoreArn"));
        var id = p.GetLong("RevocationId") ?? throw ApiException.Constraint("revocationId", null, "Member must not be null");
        var revocation = FindRevocation(trustStore, id);
        var fileName = $"revocation-{id.ToString(CultureInfo.InvariantCulture)}.crl.pem";
        var location = await TrustStoreContentFile.WriteAsync(DownloadDirectory(call), trustStore, fileName, revocation.Content);
        return w => w.Value("Location", location);
    }

    private static Task<Action<AwsXmlWriter>?> DescribeTrustStoreAssociationsAsync(ApiCall call)
    {
        var p = call.Parameters;
        var config = call.Store.Current;
        var (_, trustStore) = Find(config, p.Require("TrustStoreArn"));
        var (page, next) = Pagination.Paginate(TrustStoreAssociations.Of(config, trustStore.Arn), p);
        return Result(w => w.List("TrustStoreAssociations", page, TrustStoreAssociationShape.Write).Value("NextMarker", next));
    }

    /// <summary>
    /// Shared associations are other accounts' load balancers using this account's trust store through RAM.
    /// Elbe shares nothing across accounts, so there is never one to delete: a resource of the trust store's
    /// own account is DeleteAssociationSameAccount, any other AssociationNotFound.
    /// </summary>
    private static Task<Action<AwsXmlWriter>?> DeleteSharedTrustStoreAssociationAsync(ApiCall call)
    {
        var p = call.Parameters;
        var (_, trustStore) = Find(call.Store.Current, p.Require("TrustStoreArn"));
        var resourceArn = p.Require("ResourceArn");
        if (string.Equals(AccountOf(resourceArn), AccountOf(trustStore.Arn), StringComparison.Ordinal))
            throw new ApiException("DeleteAssociationSameAccount", "The specified association can't be within the same account");
        throw new ApiException("AssociationNotFound", $"No association found between trust store '{trustStore.Arn}' and resource '{resourceArn}'");
    }

    private static TrustStoreS3Object BundleSource(QueryParameters p) =>
        new(p.Require("CaCertificatesBundleS3Bucket"), p.Require("CaCertificatesBundleS3Key"));

    private static async Task<TrustStoreCaBundle> ReadBundleAsync(ApiCall call, TrustStoreS3Object source)
    {
        var bytes = await source.ReadAsync(SourceDirectory(call),
            path => new ApiException("CaCertificatesBundleNotFound", $"The CA certificates bundle '{path}' was not found"),
            InvalidBundle);
        return TrustStoreCaBundle.Parse(bytes) ?? throw InvalidBundle();
    }

    private static ApiException InvalidBundle() =>
        new("InvalidCaCertificatesBundle", "The CA certificates bundle is not a PEM file of valid X.509 certificates");

    private static ApiException InvalidRevocationContent() =>
        new("InvalidRevocationContent", "The revocation file is not a valid CRL issued by a CA in the trust store");

    private static (int Index, TrustStore TrustStore) Find(ElbeConfiguration config, string arn)
    {
        for (var i = 0; i < config.TrustStores.Length; i++)
            if (string.Equals(config.TrustStores[i].Arn, arn, StringComparison.Ordinal)) return (i, config.TrustStores[i]);
        throw TrustStoreShape.NotFound();
    }

    private static TrustStoreRevocation FindRevocation(TrustStore trustStore, long id) =>
        trustStore.Revocations.FirstOrDefault(r => r.RevocationId == id) ?? throw TrustStoreRevocationShape.IdNotFound(id);

    /// <summary>The trust stores named by <paramref name="keys"/>, in request order; TrustStoreNotFound for any unknown one.</summary>
    private static List<TrustStore> Select(IReadOnlyList<TrustStore> from, List<string> keys, Func<TrustStore, string> keyOf)
    {
        var selected = new List<TrustStore>(keys.Count);
        foreach (var key in keys.Distinct(StringComparer.Ordinal))
            selected.Add(from.FirstOrDefault(t => string.Equals(keyOf(t), key, StringComparison.Ordinal)) ?? throw TrustStoreShape.NotFound());
        return selected;
    }

    private static HashSet<long>? RevocationIds(QueryParameters p)
    {
        var texts = p.GetList("RevocationIds");
        if (texts is null) return null;
        var ids = new HashSet<long>();
        foreach (var text in texts)
            ids.Add(long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id)
                ? id : throw ApiException.Validation($"Value '{text}' at 'revocationIds' is not a valid long"));
        return ids;
    }

    private static string AccountOf(string arn)
    {
        var parts = arn.Split(':');
        return parts.Length > 4 ? parts[4] : "";
    }

    private static Task<Action<AwsXmlWriter>?> Result(Action<AwsXmlWriter>? result) => Task.FromResult(result);
}

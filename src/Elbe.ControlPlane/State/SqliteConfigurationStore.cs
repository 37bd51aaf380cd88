using System.Collections.Immutable;
using Elbe.ControlPlane.Certificates;
using Elbe.Model.Resources;
using Microsoft.Data.Sqlite;

namespace Elbe.ControlPlane.State;

/// <summary>
/// The durable store: <c>&lt;dataDirectory&gt;/elbe.db</c>, SQLite in WAL mode with <c>synchronous=FULL</c>, so a
/// commit is on disk before the mutation returns and a crash leaves either the old state or the new one. Each
/// commit writes only the rows that changed, in one transaction. The database is opened in exclusive locking mode:
/// a second Elbe on the same data directory fails at <see cref="Open"/> instead of silently diverging.
/// Certificates' private keys are the exception to "everything in the database": they live in owner-only files
/// beside it (<see cref="PrivateKeyFiles"/>).
/// </summary>
public sealed class SqliteConfigurationStore : ConfigurationStore, IDisposable
{
    public const string FileName = "elbe.db";

    private readonly SqliteConnection _connection;
    private readonly PrivateKeyFiles _keys;
    private bool _disposed;

    private SqliteConfigurationStore(SqliteConnection connection, PrivateKeyFiles keys, StoreSnapshot initial) : base(initial)
    {
        _connection = connection;
        _keys = keys;
    }

    /// <summary>Opens (creating if needed) the store in <paramref name="dataDirectory"/> and loads every resource.</summary>
    public static SqliteConfigurationStore Open(string dataDirectory, string region, string accountId)
    {
        Directory.CreateDirectory(dataDirectory);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDirectory, FileName),
            Mode = SqliteOpenMode.ReadWriteCreate,
            // A pooled connection would keep the file (and its exclusive lock) open after Dispose.
            Pooling = false,
            // Only another process holding the exclusive lock makes us wait; fail fast rather than hang a start.
            DefaultTimeout = 2,
        }.ToString());
        try
        {
            connection.Open();
            Pragma(connection, "PRAGMA locking_mode=EXCLUSIVE");
            Pragma(connection, "PRAGMA journal_mode=WAL");
            Pragma(connection, "PRAGMA synchronous=FULL");
            SqliteSchema.Ensure(connection);
            var keys = new PrivateKeyFiles(dataDirectory);
            return new SqliteConfigurationStore(connection, keys, Load(connection, keys, region, accountId));
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 5 or 6) // SQLITE_BUSY, SQLITE_LOCKED
        {
            connection.Dispose();
            throw new InvalidOperationException($"The data directory '{dataDirectory}' is in use by another Elbe.", e);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static void Pragma(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static StoreSnapshot Load(SqliteConnection connection, PrivateKeyFiles keys, string region, string accountId)
    {
        var resources = new List<KeyedResource>();
        var entries = ImmutableDictionary.CreateBuilder<string, ResourceEntry>(StringComparer.Ordinal);
        var nextSequence = 1L;
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT kind, arn, json, origin, template_hash, seq FROM resources ORDER BY seq";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var kind = ResourceKindNames.FromStorageName(reader.GetString(0));
                var key = reader.GetString(1);
                var sequence = reader.GetInt64(5);
                var resource = ResourceJson.Deserialize(kind, key, reader.GetString(2));
                if (resource.Value is Certificate certificate)
                    resource = resource with { Value = certificate with { PrivateKeyPem = keys.Read(certificate.Arn, certificate.Version) } };
                resources.Add(resource);
                entries[key] = new ResourceEntry(kind, ResourceOriginNames.FromStorageName(reader.GetString(3)),
                    reader.IsDBNull(4) ? null : reader.GetString(4), sequence);
                nextSequence = Math.Max(nextSequence, sequence + 1);
            }
        }
        var tombstones = ImmutableDictionary.CreateBuilder<string, TemplateTombstone>(StringComparer.Ordinal);
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT arn, kind, template_hash FROM template_tombstones";
            using var reader = command.ExecuteReader();
            while (reader.Read())
                tombstones[reader.GetString(0)] = new TemplateTombstone(ResourceKindNames.FromStorageName(reader.GetString(1)), reader.GetString(2));
        }
        var configuration = ConfigurationResources.Assemble(region, accountId, resources);
        return new StoreSnapshot(configuration, entries.ToImmutable(), tombstones.ToImmutable(), 0, nextSequence);
    }

    private protected override void Persist(StoreChangeSet changes)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        // Keys first: a row must never be committed before the key it names is on disk.
        foreach (var write in changes.Resources)
            if (write.Value is Certificate certificate)
                _keys.Write(certificate.Arn, certificate.Version, certificate.PrivateKeyPem);
        // Disposing an uncommitted transaction rolls it back, so any failure below leaves the file as it was.
        using var transaction = _connection.BeginTransaction();
        foreach (var write in changes.Resources)
        {
            using var command = _connection.CreateCommand();
            command.Transaction = transaction;
            command.Parameters.AddWithValue("$arn", write.Key);
            switch (write.Kind)
            {
                case WriteKind.Insert:
                    command.CommandText = "INSERT INTO resources (kind, arn, json, origin, template_hash, seq) VALUES ($kind, $arn, $json, $origin, $hash, $seq)";
                    command.Parameters.AddWithValue("$kind", write.ResourceKind.ToStorageName());
                    command.Parameters.AddWithValue("$seq", write.Entry!.Sequence);
                    break;
                case WriteKind.Update:
                    command.CommandText = "UPDATE resources SET json = $json, origin = $origin, template_hash = $hash WHERE arn = $arn";
                    break;
                case WriteKind.Delete:
                    command.CommandText = "DELETE FROM resources WHERE arn = $arn";
                    break;
            }
            if (write.Kind != WriteKind.Delete)
            {
                command.Parameters.AddWithValue("$json", write.Json!);
                command.Parameters.AddWithValue("$origin", write.Entry!.Origin.ToStorageName());
                command.Parameters.AddWithValue("$hash", (object?)write.Entry.TemplateHash ?? DBNull.Value);
            }
            if (command.ExecuteNonQuery() != 1)
                throw new InvalidOperationException($"The store is out of step with its database: no row for {write.ResourceKind.ToStorageName()} '{write.Key}'.");
        }
        foreach (var write in changes.Tombstones)
        {
            using var command = _connection.CreateCommand();
            command.Transaction = transaction;
            command.Parameters.AddWithValue("$arn", write.Key);
            if (write.Tombstone is { } tombstone)
            {
                command.CommandText = "INSERT OR REPLACE INTO template_tombstones (arn, kind, template_hash) VALUES ($arn, $kind, $hash)";
                command.Parameters.AddWithValue("$kind", tombstone.Kind.ToStorageName());
                command.Parameters.AddWithValue("$hash", tombstone.TemplateHash);
            }
            else
            {
                command.CommandText = "DELETE FROM template_tombstones WHERE arn = $arn";
            }
            command.ExecuteNonQuery();
        }
        transaction.Commit();
        // Only now is no row left that names an older key (or, for a deleted certificate, any key).
        foreach (var write in changes.Resources)
        {
            if (write.ResourceKind != ResourceKind.Certificate) continue;
            _keys.DeleteOtherVersions(write.Key, (write.Value as Certificate)?.Version);
        }
    }

    /// <summary>Waits for a commit in progress, then closes the database; later mutations that change anything throw.</summary>
    public void Dispose() => ExcludingWriters(() =>
    {
        if (_disposed) return;
        _disposed = true;
        _connection.Dispose();
    });
}

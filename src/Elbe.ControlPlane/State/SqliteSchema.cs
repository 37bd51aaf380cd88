using Microsoft.Data.Sqlite;

namespace Elbe.ControlPlane.State;

/// <summary>
/// The tables of elbe.db. One row per resource, so a commit writes only the resources it changed; the resource
/// itself is JSON, so model members added later need no migration. <c>seq</c> keeps creation order across restarts.
/// </summary>
internal static class SqliteSchema
{
    public const int Version = 1;

    public static void Ensure(SqliteConnection connection)
    {
        using var transaction = connection.BeginTransaction();
        Execute(connection, transaction, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
        var stored = Scalar(connection, transaction, "SELECT MAX(version) FROM schema_version");
        if (stored is long version)
        {
            if (version > Version)
                throw new InvalidOperationException($"The data directory was written by a newer Elbe (schema {version}; this one knows {Version}).");
        }
        else
        {
            Execute(connection, transaction, """
                CREATE TABLE resources (
                    kind TEXT NOT NULL,
                    arn TEXT PRIMARY KEY,
                    json TEXT NOT NULL,
                    origin TEXT NOT NULL,
                    template_hash TEXT NULL,
                    seq INTEGER NOT NULL)
                """);
            Execute(connection, transaction, """
                CREATE TABLE template_tombstones (
                    arn TEXT PRIMARY KEY,
                    kind TEXT NOT NULL,
                    template_hash TEXT NOT NULL)
                """);
            Execute(connection, transaction, $"INSERT INTO schema_version (version) VALUES ({Version})");
        }
        transaction.Commit();
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}

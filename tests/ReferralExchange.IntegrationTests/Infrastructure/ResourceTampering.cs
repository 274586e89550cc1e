using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using ReferralExchange.Core.Storage;

namespace ReferralExchange.IntegrationTests.Infrastructure;

/// <summary>
/// What someone with write access to the database can do to stored resources with sqlite3: edit a
/// version's JSON (with or without its hash column), delete a version, or add one no audit record
/// wrote. The resource tables have no triggers, so no protection needs dropping first.
/// </summary>
public sealed class ResourceTampering(string databasePath)
{
    public string Json(string type, string id, int version) =>
        (string)Scalar("SELECT \"Json\" FROM \"ResourceVersions\" WHERE \"ResourceType\" = @t AND \"ResourceId\" = @i AND \"VersionId\" = @v",
            ("@t", type), ("@i", id), ("@v", version))!;

    /// <summary>Changes the stored JSON only (the hash beside it stays what the gateway wrote).</summary>
    public void EditJson(string type, string id, int version, Action<JsonObject> edit) =>
        Write(type, id, version, Edited(type, id, version, edit), rehash: false);

    /// <summary>Changes the stored JSON and recomputes the hash column to match, as a careful forger would.</summary>
    public void EditJsonAndHash(string type, string id, int version, Action<JsonObject> edit) =>
        Write(type, id, version, Edited(type, id, version, edit), rehash: true);

    public void DeleteVersion(string type, string id, int version) =>
        Execute("DELETE FROM \"ResourceVersions\" WHERE \"ResourceType\" = @t AND \"ResourceId\" = @i AND \"VersionId\" = @v", ("@t", type), ("@i", id), ("@v", version));

    /// <summary>Adds version <paramref name="version"/> as an edited copy of the one before, with a matching hash, and points the head at it.</summary>
    public void InsertVersion(string type, string id, int version, Action<JsonObject> edit)
    {
        var json = Edited(type, id, version - 1, node =>
        {
            node["meta"]!["versionId"] = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
            edit(node);
        });
        Execute("""
            INSERT INTO "ResourceVersions" ("ResourceType", "ResourceId", "VersionId", "LastUpdatedTicks", "Json", "ReferralKey", "SecurityLabels", "ContentHash")
              SELECT "ResourceType", "ResourceId", @v, "LastUpdatedTicks" + 1, @json, "ReferralKey", "SecurityLabels", @hash
              FROM "ResourceVersions" WHERE "ResourceType" = @t AND "ResourceId" = @i AND "VersionId" = @v - 1;
            UPDATE "ResourceHeads" SET "CurrentVersion" = @v WHERE "ResourceType" = @t AND "ResourceId" = @i;
            """, ("@t", type), ("@i", id), ("@v", version), ("@json", json), ("@hash", ResourceContentHash.Of(json)));
    }

    private string Edited(string type, string id, int version, Action<JsonObject> edit)
    {
        var node = JsonNode.Parse(Json(type, id, version))!.AsObject();
        edit(node);
        return node.ToJsonString();
    }

    private void Write(string type, string id, int version, string json, bool rehash)
    {
        var sql = rehash
            ? "UPDATE \"ResourceVersions\" SET \"Json\" = @json, \"ContentHash\" = @hash WHERE \"ResourceType\" = @t AND \"ResourceId\" = @i AND \"VersionId\" = @v"
            : "UPDATE \"ResourceVersions\" SET \"Json\" = @json WHERE \"ResourceType\" = @t AND \"ResourceId\" = @i AND \"VersionId\" = @v";
        Execute(sql, ("@t", type), ("@i", id), ("@v", version), ("@json", json), ("@hash", ResourceContentHash.Of(json)));
    }

    private void Execute(string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        if (command.ExecuteNonQuery() == 0) throw new InvalidOperationException("the tampering changed no row");
    }

    private object? Scalar(string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return command.ExecuteScalar();
    }
}

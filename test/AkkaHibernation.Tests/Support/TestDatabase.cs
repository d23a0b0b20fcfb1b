using Microsoft.Data.Sqlite;

namespace AkkaHibernation.Tests.Support;

/// <summary>A real SQLite journal file in its own temporary folder, deleted (with its WAL files) on dispose.</summary>
public sealed class TestDatabase : IDisposable
{
    private readonly string _directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "akkahib-tests", Guid.NewGuid().ToString("N"));

    public TestDatabase()
    {
        Directory.CreateDirectory(_directory);
        Path = System.IO.Path.Combine(_directory, "journal.db");
    }

    public string Path { get; }

    /// <summary>Runs a query against the file, as an operator's sqlite3 would, and returns the first column of each row.</summary>
    public IReadOnlyList<string?> Query(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string?>();
        while (reader.Read())
            rows.Add(reader.IsDBNull(0) ? null : Convert.ToString(reader.GetValue(0)));
        return rows;
    }

    /// <summary>Writes to the file behind the server's back, as a disk fault or a careless operator would.</summary>
    public void Execute(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a stopping actor system; the temp folder is cleaned by the OS.
        }
    }
}

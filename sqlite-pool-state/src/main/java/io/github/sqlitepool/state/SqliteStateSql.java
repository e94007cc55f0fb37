package io.github.sqlitepool.state;

import java.nio.file.Path;
import java.util.Optional;

import io.github.sqlitepool.pool.config.SqliteUrl;

/** The state store's statements for SQLite (3.35 or later: upsert with {@code RETURNING}). */
public final class SqliteStateSql extends DialectStateSql implements StateBackupSql {

    private static final String COLUMNS = "id, epic_path, story_path, status, iteration, qa_result, error_message, "
            + "created_at, updated_at, phase, version";

    /** datetime() orders SQLite's 'yyyy-MM-dd HH:mm:ss' and older rows' ISO-8601 'T' form alike. */
    private static final String OLDEST_FIRST = "datetime(created_at), id";

    /** Where the SQLite migrations ship. */
    public static final String MIGRATION_LOCATION = "classpath*:io/github/sqlitepool/state/migration/sqlite/V*__*.sql";

    /** SQLite with the migrations shipped in this jar. */
    public SqliteStateSql() {
        this(MIGRATION_LOCATION);
    }

    /** SQLite with the migrations at {@code migrationLocation} (a resource pattern). */
    public SqliteStateSql(String migrationLocation) {
        super("SQLite", migrationLocation, COLUMNS, OLDEST_FIRST);
    }

    @Override
    public String upsertStory() {
        return """
                INSERT INTO stories (epic_path, story_path, status, phase, iteration, qa_result, error_message, version)
                VALUES (:epicPath, :storyPath, :status, :phase, COALESCE(:iteration, 0), :qaResult, :errorMessage, 1)
                ON CONFLICT (story_path) DO UPDATE SET
                    epic_path = excluded.epic_path,
                    status = excluded.status,
                    phase = COALESCE(:phase, stories.phase),
                    iteration = COALESCE(:iteration, stories.iteration),
                    qa_result = COALESCE(:qaResult, stories.qa_result),
                    error_message = excluded.error_message,
                    updated_at = CURRENT_TIMESTAMP,
                    version = COALESCE(stories.version, 1) + 1
                WHERE :expectedVersion IS NULL OR COALESCE(stories.version, 1) = :expectedVersion
                RETURNING version
                """;
    }

    @Override
    public String importStory() {
        return """
                INSERT INTO stories (epic_path, story_path, status, phase, iteration, qa_result, error_message,
                                     created_at, updated_at, version)
                VALUES (:epicPath, :storyPath, :status, :phase, :iteration, :qaResult, :errorMessage,
                        :createdAt, :updatedAt, :version)
                ON CONFLICT (story_path) DO UPDATE SET
                    epic_path = excluded.epic_path, status = excluded.status, phase = excluded.phase,
                    iteration = excluded.iteration, qa_result = excluded.qa_result,
                    error_message = excluded.error_message, created_at = excluded.created_at,
                    updated_at = excluded.updated_at, version = excluded.version
                WHERE COALESCE(stories.version, 1) <= excluded.version
                """;
    }

    @Override
    public String deleteFinishedBefore() {
        // datetime() reads both SQLite's 'yyyy-MM-dd HH:mm:ss' and the ISO-8601 'T' form older rows may hold.
        return "DELETE FROM stories WHERE status IN (:statuses) AND datetime(updated_at) < datetime(:cutoff)";
    }

    @Override
    public String claimWriteLock() {
        // Matches no row, but a write statement takes SQLite's RESERVED lock before it looks at any.
        return "UPDATE stories SET id = id WHERE 0";
    }

    @Override
    public String beginWriteTransaction() {
        return "BEGIN IMMEDIATE";
    }

    @Override
    public String selectSchemaVersion() {
        return "PRAGMA user_version";
    }

    @Override
    public String updateSchemaVersion(int version) {
        return "PRAGMA user_version = " + version;
    }

    @Override
    public String countTables() {
        return "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";
    }

    @Override
    public String tableExists() {
        return "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?";
    }

    @Override
    public String columnExists() {
        return "SELECT COUNT(*) FROM pragma_table_info(?) WHERE name = ?";
    }

    @Override
    public Optional<StateBackupSql> backupSql() {
        return Optional.of(this);
    }

    @Override
    public String selectDatabaseFile() {
        return "SELECT file FROM pragma_database_list WHERE name = 'main'";
    }

    @Override
    public String backupInto() {
        // VACUUM INTO reads one snapshot, so the copy is consistent while other connections write.
        return "VACUUM INTO ?";
    }

    @Override
    public String backupTarget(Path file, boolean inMemorySource) {
        if (!inMemorySource) {
            return file.toAbsolutePath().toString();
        }
        // VACUUM INTO writes through the source's VFS; the pool's in-memory databases use memdb,
        // so name the operating system's VFS in a URI to get a file on disk.
        String vfs = System.getProperty("os.name", "").startsWith("Windows") ? "win32" : "unix";
        return file.toAbsolutePath().toUri() + "?vfs=" + vfs;
    }

    @Override
    public String restoreFrom(Path backup) {
        String file = backup.toAbsolutePath().toString();
        if (file.indexOf('\'') >= 0 || file.indexOf('"') >= 0) {
            throw new IllegalArgumentException("a backup path to restore from must not contain quotes, was " + file);
        }
        // sqlite-jdbc runs this through SQLite's online backup API into the live main database.
        return "restore from '" + file + "'";
    }

    @Override
    public String standaloneUrl(Path file) {
        return SqliteUrl.PREFIX + file.toAbsolutePath();
    }

    @Override
    public String integrityCheck() {
        return "PRAGMA integrity_check";
    }
}

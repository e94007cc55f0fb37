package io.github.sqlitepool.state;

/**
 * The state store's statements for PostgreSQL (9.5 or later: {@code ON CONFLICT}; identity
 * columns need 10). Timestamps are {@code TIMESTAMP} in UTC without a zone, read back in
 * SQLite's {@code yyyy-MM-dd HH:mm:ss} form, so a {@link Story} looks the same on both. The
 * schema version is kept in table {@code stories_schema_version}, one row per applied migration.
 * Null parameters are cast, because PostgreSQL cannot infer the type of a bare {@code NULL}.
 * Backup and restore are not offered: use {@code pg_dump}.
 */
public final class PostgresStateSql extends DialectStateSql {

    private static final String COLUMNS = "id, epic_path, story_path, status, iteration, qa_result, error_message, "
            + "to_char(created_at, 'YYYY-MM-DD HH24:MI:SS') AS created_at, "
            + "to_char(updated_at, 'YYYY-MM-DD HH24:MI:SS') AS updated_at, phase, version";

    private static final String OLDEST_FIRST = "stories.created_at, id";

    private static final String NOW_UTC = "(CURRENT_TIMESTAMP AT TIME ZONE 'UTC')";

    /** Where the PostgreSQL migrations ship, in step with {@link SqliteStateSql#MIGRATION_LOCATION}. */
    public static final String MIGRATION_LOCATION =
            "classpath*:io/github/sqlitepool/state/migration/postgresql/V*__*.sql";

    /**
     * The key of the transaction-scoped advisory lock every write batch takes first, so that
     * batches run one at a time across all application instances, as they do on SQLite.
     */
    static final long BATCH_LOCK_KEY = 0x5354415445L;

    /** PostgreSQL with the migrations shipped in this jar. */
    public PostgresStateSql() {
        this(MIGRATION_LOCATION);
    }

    /** PostgreSQL with the migrations at {@code migrationLocation} (a resource pattern). */
    public PostgresStateSql(String migrationLocation) {
        super("PostgreSQL", migrationLocation, COLUMNS, OLDEST_FIRST);
    }

    @Override
    public String upsertStory() {
        return """
                INSERT INTO stories (epic_path, story_path, status, phase, iteration, qa_result, error_message, version)
                VALUES (:epicPath, :storyPath, :status, CAST(:phase AS TEXT),
                        COALESCE(CAST(:iteration AS INTEGER), 0), CAST(:qaResult AS TEXT),
                        CAST(:errorMessage AS TEXT), 1)
                ON CONFLICT (story_path) DO UPDATE SET
                    epic_path = excluded.epic_path,
                    status = excluded.status,
                    phase = COALESCE(CAST(:phase AS TEXT), stories.phase),
                    iteration = COALESCE(CAST(:iteration AS INTEGER), stories.iteration),
                    qa_result = COALESCE(CAST(:qaResult AS TEXT), stories.qa_result),
                    error_message = excluded.error_message,
                    updated_at = %s,
                    version = COALESCE(stories.version, 1) + 1
                WHERE CAST(:expectedVersion AS BIGINT) IS NULL
                   OR COALESCE(stories.version, 1) = CAST(:expectedVersion AS BIGINT)
                RETURNING version
                """.formatted(NOW_UTC);
    }

    @Override
    public String importStory() {
        return """
                INSERT INTO stories (epic_path, story_path, status, phase, iteration, qa_result, error_message,
                                     created_at, updated_at, version)
                VALUES (:epicPath, :storyPath, :status, CAST(:phase AS TEXT), CAST(:iteration AS INTEGER),
                        CAST(:qaResult AS TEXT), CAST(:errorMessage AS TEXT),
                        COALESCE(CAST(:createdAt AS TIMESTAMP), %1$s), COALESCE(CAST(:updatedAt AS TIMESTAMP), %1$s),
                        CAST(:version AS BIGINT))
                ON CONFLICT (story_path) DO UPDATE SET
                    epic_path = excluded.epic_path, status = excluded.status, phase = excluded.phase,
                    iteration = excluded.iteration, qa_result = excluded.qa_result,
                    error_message = excluded.error_message, created_at = excluded.created_at,
                    updated_at = excluded.updated_at, version = excluded.version
                WHERE COALESCE(stories.version, 1) <= excluded.version
                """.formatted(NOW_UTC);
    }

    @Override
    public String deleteFinishedBefore() {
        return "DELETE FROM stories WHERE status IN (:statuses) AND updated_at < CAST(:cutoff AS TIMESTAMP)";
    }

    @Override
    public String claimWriteLock() {
        return "SELECT pg_advisory_xact_lock(" + BATCH_LOCK_KEY + ")";
    }

    @Override
    public String createSchemaVersionTable() {
        return "CREATE TABLE IF NOT EXISTS stories_schema_version (version INTEGER PRIMARY KEY, "
                + "applied_at TIMESTAMP NOT NULL DEFAULT " + NOW_UTC + ")";
    }

    @Override
    public String selectSchemaVersion() {
        return "SELECT COALESCE(MAX(version), 0) FROM stories_schema_version";
    }

    @Override
    public String updateSchemaVersion(int version) {
        return "INSERT INTO stories_schema_version (version) VALUES (" + version + ")";
    }

    @Override
    public String countTables() {
        return "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()";
    }

    @Override
    public String tableExists() {
        return "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?";
    }

    @Override
    public String columnExists() {
        return "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = current_schema()"
                + " AND table_name = ? AND column_name = ?";
    }

    @Override
    public String selectDatabaseFile() {
        // No file: the database lives on the server.
        return "SELECT CAST(NULL AS TEXT)";
    }
}

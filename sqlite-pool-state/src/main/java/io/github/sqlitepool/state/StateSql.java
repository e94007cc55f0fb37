package io.github.sqlitepool.state;

import java.util.Optional;

/**
 * Every SQL statement the state store runs, so that another database can be supported by
 * another implementation. Statements that are the same in every supported database are
 * defaults here; the dialects override what differs. Named parameters ({@code :name}) are bound by
 * {@code NamedParameterJdbcTemplate}; the column names are those of {@code stories}.
 */
public interface StateSql {

    /** The JDBC database product name this dialect is for, as {@code DatabaseMetaData} reports it. */
    String databaseProductName();

    /** Where this dialect's versioned migrations live, as a classpath location pattern. */
    String migrationLocation();

    /** The columns of {@code stories} as a {@link Story} is read, in a select list. */
    String selectColumns();

    /** The {@code ORDER BY} terms that list stories oldest first. */
    String oldestFirst();

    /**
     * Inserts a story with version 1 or updates it and increments its version, in one statement,
     * returning the new {@code version}; returns no row when {@code :expectedVersion} is set and
     * does not match. Parameters: storyPath, epicPath, status, phase, iteration, qaResult,
     * errorMessage, expectedVersion.
     */
    String upsertStory();

    /** The version of the story {@code :storyPath}. */
    default String selectVersion() {
        return "SELECT COALESCE(version, 1) FROM stories WHERE story_path = :storyPath";
    }

    default String selectStory() {
        return "SELECT " + selectColumns() + " FROM stories WHERE story_path = :storyPath";
    }

    default String selectAllStories() {
        return "SELECT " + selectColumns() + " FROM stories ORDER BY " + oldestFirst();
    }

    default String selectStoriesByStatus() {
        return "SELECT " + selectColumns() + " FROM stories WHERE status = :status ORDER BY " + oldestFirst();
    }

    /** Stories of {@code :epicPath} whose ids are in {@code :ids}. */
    default String selectStoriesOfEpicByIds() {
        return "SELECT " + selectColumns() + " FROM stories WHERE epic_path = :epicPath AND id IN (:ids) ORDER BY "
                + oldestFirst();
    }

    default String selectStoriesOfEpic() {
        return "SELECT " + selectColumns() + " FROM stories WHERE epic_path = :epicPath ORDER BY " + oldestFirst();
    }

    /** Columns {@code status} and {@code n}. */
    default String countByStatus() {
        return "SELECT status, COUNT(*) AS n FROM stories GROUP BY status";
    }

    /** Columns {@code status} and {@code n} for {@code :epicPath}. */
    default String countByStatusOfEpic() {
        return "SELECT status, COUNT(*) AS n FROM stories WHERE epic_path = :epicPath GROUP BY status";
    }

    default String deleteStory() {
        return "DELETE FROM stories WHERE story_path = :storyPath";
    }

    default String deleteStoriesOfEpic() {
        return "DELETE FROM stories WHERE epic_path = :epicPath";
    }

    /** Stories of {@code :epicPath} whose paths are in {@code :storyPaths}. */
    default String deleteStoriesOfEpicByPaths() {
        return "DELETE FROM stories WHERE epic_path = :epicPath AND story_path IN (:storyPaths)";
    }

    /** Stories whose status is in {@code :statuses} and {@code updated_at} is before {@code :cutoff}. */
    String deleteFinishedBefore();

    /**
     * A statement that takes the database's write lock at the start of a write batch, so that
     * the batch never has to upgrade a read to a write (which SQLite may refuse with
     * {@code SQLITE_BUSY_SNAPSHOT}); null when the database needs none.
     */
    String claimWriteLock();

    /**
     * A statement that opens a transaction holding the database's write lock from its start, run
     * on a connection in auto-commit mode ({@code BEGIN IMMEDIATE} on SQLite, whose
     * {@link #claimWriteLock()} needs the {@code stories} table that a first migration has yet to
     * create); null when a JDBC transaction is begun instead and {@link #claimWriteLock()} runs
     * first in it (PostgreSQL's advisory lock). Every migration script runs in such a transaction,
     * so that processes migrating at the same moment take turns, and each reads the schema
     * version only once it holds the lock.
     */
    default String beginWriteTransaction() {
        return null;
    }

    /**
     * Creates what {@link #selectSchemaVersion()} reads when the database does not keep a
     * schema version of its own; null when it does (SQLite's {@code PRAGMA user_version}).
     */
    default String createSchemaVersionTable() {
        return null;
    }

    /**
     * The statements for {@code createBackup}, {@code verifyBackup} and {@code restoreBackup};
     * empty when this database is not backed up as a file (PostgreSQL: use pg_dump).
     */
    default Optional<StateBackupSql> backupSql() {
        return Optional.empty();
    }

    /**
     * Writes a story copied from another database with all its values (the {@code id} aside):
     * inserts it, or replaces the stored row when that row's version is not newer; returns the
     * number of rows written (0 or 1). Parameters: storyPath, epicPath, status, phase, iteration,
     * qaResult, errorMessage, createdAt, updatedAt (text timestamps), version.
     */
    String importStory();

    /** The schema version, one integer column. */
    String selectSchemaVersion();

    /** Sets the schema version; {@code version} is a validated integer. */
    String updateSchemaVersion(int version);

    /** Counts the user tables, one integer column. */
    String countTables();

    /** Whether a table named {@code ?} exists, one integer column. */
    String tableExists();

    /** Whether table {@code ?} has column {@code ?}, one integer column. */
    String columnExists();

    /** The file of the main database, one string column (empty or null when there is none). */
    String selectDatabaseFile();
}

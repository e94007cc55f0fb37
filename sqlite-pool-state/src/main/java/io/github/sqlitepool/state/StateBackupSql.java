package io.github.sqlitepool.state;

import java.nio.file.Path;

/**
 * The statements for backing up, verifying and restoring a state database that is a file
 * (SQLite). A {@link StateSql} offers them through {@link StateSql#backupSql()}; a server
 * database has its own tools (pg_dump) and offers none.
 */
public interface StateBackupSql {

    /** Writes a consistent copy of the live database to the target {@code ?} (see {@link #backupTarget}). */
    String backupInto();

    /**
     * What to bind to {@link #backupInto()} for the backup file {@code file}.
     *
     * @param inMemorySource whether the live database is in memory
     */
    String backupTarget(Path file, boolean inMemorySource);

    /** Replaces the live database with the contents of {@code backup}. */
    String restoreFrom(Path backup);

    /** A JDBC URL that opens {@code file} on its own, outside the pool. */
    String standaloneUrl(Path file);

    /** Checks the database's integrity; the first column of the first row is {@code ok} when sound. */
    String integrityCheck();
}

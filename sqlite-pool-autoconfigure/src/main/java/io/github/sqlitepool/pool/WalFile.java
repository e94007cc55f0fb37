package io.github.sqlitepool.pool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/** The write-ahead log beside a pool's database file ({@code <database>-wal}). */
public final class WalFile {

    private WalFile() {
    }

    /** Where the WAL of the pool's database is, or empty for an in-memory database. */
    public static Optional<Path> of(SqlitePool pool) {
        return pool.config().url().file().map(WalFile::of);
    }

    /** Where the WAL of {@code database} is. */
    public static Path of(Path database) {
        return database.resolveSibling(database.getFileName() + "-wal");
    }

    /**
     * The WAL's size in bytes: 0 when there is none (in-memory database, another journal
     * mode, or truncated away by a checkpoint), -1 when it exists but cannot be read.
     */
    public static long size(SqlitePool pool) {
        Optional<Path> wal = of(pool);
        if (wal.isEmpty()) {
            return 0;
        }
        try {
            return Files.size(wal.get());
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            return -1;
        }
    }
}

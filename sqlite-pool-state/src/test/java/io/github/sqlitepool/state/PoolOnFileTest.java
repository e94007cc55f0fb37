package io.github.sqlitepool.state;

import java.nio.file.Path;

import io.github.sqlitepool.pool.SqlitePool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** A test with a temporary directory and the pool it opens on a file there, closed after each test. */
abstract class PoolOnFileTest {

    @TempDir
    Path dir;

    /** The test's pool, once it opens one. */
    SqlitePool pool;

    @AfterEach
    void closePool() {
        if (pool != null) {
            pool.close();
        }
    }
}

package io.github.sqlitepool.state;

import static io.github.sqlitepool.state.StateFixtures.executeFile;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import io.github.sqlitepool.pool.SqlitePool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The StateManager's behaviour on a SQLite file through the pool. */
class StateManagerTest extends StateManagerBehaviour {

    @TempDir
    Path dir;

    SqlitePool pool;

    @Override
    StateManager startManager() {
        pool = StateFixtures.pool(dir.resolve("state.db"), 3);
        return StateFixtures.manager(pool, dir.resolve("backups"));
    }

    @Override
    void execute(String... sql) throws Exception {
        executeFile(dir.resolve("state.db"), sql);
    }

    @Override
    int activeConnections() {
        return pool.stats().active();
    }

    @AfterEach
    void stop() {
        pool.close();
    }

    @Test
    void healthDescribesDatabaseAndPool() {
        StateHealth health = state.health();

        assertThat(Path.of(health.databasePath())).isEqualTo(dir.resolve("state.db").toAbsolutePath());
        assertThat(health.fileExists()).isTrue();
        assertThat(health.poolEnabled()).isTrue();
        assertThat(health.poolSize()).isEqualTo(3);
        assertThat(health.poolStats().max()).isEqualTo(3);
        assertThat(health.schemaVersion()).isEqualTo(2);
    }
}

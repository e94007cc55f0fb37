package io.github.sqlitepool.state;

import static io.github.sqlitepool.state.StateFixtures.executeFile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import io.github.sqlitepool.pool.SqlitePool;
import io.github.sqlitepool.state.autoconfigure.health.StateManagerHealthIndicator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/** A failed migration is reported by health until a migration succeeds. */
class StateManagerMigrationHealthTest {

    @TempDir
    Path dir;

    @Test
    void healthIsDownWithTheFailureUntilAMigrationSucceeds() throws Exception {
        Path file = dir.resolve("state.db");
        try (SqlitePool pool = StateFixtures.pool(file, 2)) {
            StateManager state = new StateManager(pool, new StateManagerOptions(dir.resolve("backups"),
                    StateManagerOptions.DEFAULT_OPERATION_TIMEOUT,
                    new SqliteStateSql("classpath*:io/github/sqlitepool/state/failing/V*__*.sql")));
            StateManagerHealthIndicator indicator = new StateManagerHealthIndicator(state);

            assertThatThrownBy(state::getAllStories).isInstanceOf(StateMigrationException.class);

            Health failed = indicator.health();
            assertThat(failed.getStatus()).isEqualTo(Status.DOWN);
            assertThat(String.valueOf(failed.getDetails().get("migrationFailure"))).contains("V3__broken.sql");

            // The cause fixed (what the script needs now exists), the next migration succeeds.
            executeFile(file, "CREATE TABLE stories (id INTEGER PRIMARY KEY)",
                    "CREATE TABLE no_such_table (n INTEGER)");
            assertThat(state.migrate()).isEqualTo(3);

            Health recovered = indicator.health();
            assertThat(recovered.getStatus()).isEqualTo(Status.UP);
            assertThat(recovered.getDetails()).containsEntry("schemaVersion", 3).doesNotContainKey("migrationFailure");
        }
    }
}

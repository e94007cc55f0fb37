package io.github.sqlitepool.state;

import static io.github.sqlitepool.testsupport.Queries.queryLong;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.github.sqlitepool.pool.SqlitePool;
import io.github.sqlitepool.pool.config.PragmaSettings;
import io.github.sqlitepool.pool.config.SqliteConnectionFactory;
import io.github.sqlitepool.pool.config.SqlitePoolConfig;
import io.github.sqlitepool.pool.config.Synchronous;
import io.github.sqlitepool.pool.config.TempStore;
import io.github.sqlitepool.testsupport.EveryConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The StateManager sets a query timeout on every statement (its operation timeout), migrates,
 * backs up and restores through the pool; none of it may leave a pooled connection with other
 * PRAGMAs than the user configured.
 */
class StateManagerKeepsPragmasTest {

    private static final int CONNECTIONS = 3;

    @TempDir
    Path dir;

    @Test
    void everyConfiguredPragmaHoldsAfterStateManagerOperationsBackupAndRestore() throws Exception {
        SqlitePoolConfig config = SqlitePoolConfig.builder().url("jdbc:sqlite:" + dir.resolve("state.db"))
                .name("state-pragmas").maxConnections(CONNECTIONS).acquireTimeout(Duration.ofSeconds(10))
                .pragmas(PragmaSettings.builder().synchronous(Synchronous.FULL).cacheSize(1_234)
                        .tempStore(TempStore.FILE).busyTimeout(Duration.ofMillis(7_000)).foreignKeys(false)
                        .journalSizeLimit(2L << 20).walAutocheckpoint(333)
                        .extra(Map.of("recursive_triggers", "1")).build())
                .build();
        try (SqlitePool pool = new SqlitePool(config)) {
            StateManager state = new StateManager(pool, StateManagerOptions.defaults().withBackupDir(dir.resolve("b"))
                    .withOperationTimeout(Duration.ofSeconds(3)));
            state.migrate();
            for (int i = 0; i < CONNECTIONS * 4; i++) {
                state.updateStoryStatus(StoryUpdate.of("s" + i + ".md", "e.md", ProcessingStatus.IN_PROGRESS));
                assertThat(state.getStory("s" + i + ".md")).isNotNull();
            }
            Path backup = state.createBackup();
            state.updateStoryStatus(StoryUpdate.of("after-backup.md", "e.md", ProcessingStatus.COMPLETED));
            state.restoreBackup(backup);
            assertThat(state.getStory("after-backup.md")).as("restored to the backup").isNull();
            state.updateStoryStatus(StoryUpdate.of("after-restore.md", "e.md", ProcessingStatus.COMPLETED));

            SqliteConnectionFactory factory = new SqliteConnectionFactory(config.url(), config.pragmas());
            EveryConnection.check(pool, CONNECTIONS, lease -> {
                assertThat(factory.verify(lease)).as("PRAGMAs that differ on %s", lease).isEmpty();
                assertThat(queryLong(lease, "PRAGMA recursive_triggers")).isEqualTo(1);
            });
        }
    }
}

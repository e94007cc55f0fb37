package io.github.sqlitepool.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

import org.springframework.jdbc.core.JdbcTemplate;

/** The StateManager's behaviour on a real PostgreSQL server (see {@link PostgresServer}). */
@DisabledIfSystemProperty(named = "skipPostgres", matches = "true")
class PostgresStateManagerTest extends StateManagerBehaviour {

    HikariDataSource dataSource;

    @Override
    StateManager startManager() {
        dataSource = PostgresServer.get().newDatabase();
        StateManager manager = new StateManager(dataSource, StateManagerOptions.defaults());
        manager.migrate();
        return manager;
    }

    @Override
    void execute(String... sql) {
        new JdbcTemplate(dataSource).batchUpdate(sql);
    }

    @Override
    int activeConnections() {
        return dataSource.getHikariPoolMXBean().getActiveConnections();
    }

    @AfterEach
    void stop() {
        if (dataSource != null) {
            dataSource.close();
        }
    }

    @Test
    void picksThePostgresDialectAndTracksTheSchemaVersionInATable() {
        assertThat(StateDialects.detect(dataSource)).isInstanceOf(PostgresStateSql.class);
        assertThat(state.schemaVersion()).isEqualTo(2);
        assertThat(state.migrate()).isEqualTo(2);
        assertThat(new JdbcTemplate(dataSource).queryForList("SELECT version FROM stories_schema_version ORDER BY 1",
                Integer.class)).containsExactly(1, 2);
    }

    @Test
    void timestampsReadLikeSqlitesAndCleanupUsesThem() {
        state.updateStoryStatus(StoryUpdate.of("s1.md", "e1.md", ProcessingStatus.COMPLETED));
        execute("UPDATE stories SET created_at = '2024-01-02 03:04:05.123456', updated_at = '2024-01-02 03:04:05'");

        Story story = state.getStory("s1.md");
        assertThat(story.createdAt()).isEqualTo("2024-01-02 03:04:05");
        assertThat(story.updatedAt()).isEqualTo("2024-01-02 03:04:05");
        assertThat(state.cleanupOlderThan(java.time.Duration.ofDays(1))).isEqualTo(1);
    }

    @Test
    void healthHasNoFileAndNoPool() {
        StateHealth health = state.health();

        assertThat(health.databasePath()).isNull();
        assertThat(health.fileExists()).isFalse();
        assertThat(health.poolEnabled()).isFalse();
        assertThat(health.schemaVersion()).isEqualTo(2);
    }

    @Test
    void backupAndRestoreAreRefusedWithPgDumpAdvice() {
        Path any = Path.of("state_backup.db");
        assertThatThrownBy(state::createBackup).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("not supported on PostgreSQL; use pg_dump");
        assertThatThrownBy(() -> state.verifyBackup(any)).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("not supported on PostgreSQL; use pg_dump");
        assertThatThrownBy(() -> state.restoreBackup(any)).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("not supported on PostgreSQL; use pg_dump");
    }
}

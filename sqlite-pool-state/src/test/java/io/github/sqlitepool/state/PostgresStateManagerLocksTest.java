package io.github.sqlitepool.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The advisory lock in a joined batch, and backup calls that touch nothing, on a real PostgreSQL server. */
@DisabledIfSystemProperty(named = "skipPostgres", matches = "true")
class PostgresStateManagerLocksTest {

    private HikariDataSource dataSource;

    @AfterEach
    void stop() {
        if (dataSource != null) {
            dataSource.close();
        }
    }

    @Test
    void aBatchInTheCallersTransactionTakesTheAdvisoryLock() {
        dataSource = PostgresServer.get().newDatabase();
        StateManager state = new StateManager(dataSource, StateManagerOptions.defaults());
        state.migrate();
        JdbcTemplate otherConnection = new JdbcTemplate(dataSource);
        TransactionTemplate callers = new TransactionTemplate(new DataSourceTransactionManager(dataSource));

        Integer locksSeen = callers.execute(outer -> state.inTransaction(s -> {
            s.updateStoryStatus(StoryUpdate.of("s1.md", "e1.md", ProcessingStatus.PENDING));
            return otherConnection.queryForObject("SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory'"
                    + " AND granted AND objid = " + (PostgresStateSql.BATCH_LOCK_KEY & 0xFFFFFFFFL), Integer.class);
        }));

        assertThat(locksSeen).isEqualTo(1);
    }

    @Test
    void refusedBackupCallsCreateNoTables() {
        dataSource = PostgresServer.get().newDatabase();
        StateManager state = new StateManager(dataSource, StateManagerOptions.defaults());

        assertThatThrownBy(state::createBackup).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> state.verifyBackup(Path.of("x.db"))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> state.restoreBackup(Path.of("x.db"))).isInstanceOf(UnsupportedOperationException.class);

        assertThat(new JdbcTemplate(dataSource).queryForObject(
                "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()", Integer.class))
                .isZero();
        assertThat(state.isMigrated()).isFalse();
    }
}

package io.github.sqlitepool.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConnection;

class StatementInterruptsTest {

    private static final String LONG_COUNT = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c"
            + " WHERE x < 1000000000) SELECT count(*) FROM c";

    @TempDir
    Path dir;

    /**
     * A cancel that reaches SQLite after the execution entered the driver but before
     * {@code sqlite3_step} started the statement is cleared by the step; the statement is still
     * stopped, by the repeated interrupt, instead of running for minutes.
     */
    @Test
    void aCancelThatSqliteDropsBeforeTheStatementStartsStillStopsIt() throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("interrupts.db"))) {
            StatementInterrupts interrupts = new StatementInterrupts(((SQLiteConnection) connection).getDatabase());
            interrupts.begin(0);
            assertThat(interrupts.enterSqlite()).isTrue();
            interrupts.cancel(); // no statement runs yet: SQLite's step will clear this interrupt
            assertTimeoutPreemptively(Duration.ofSeconds(30), () ->
                    assertThatThrownBy(() -> PoolFixtures.queryLong(connection, LONG_COUNT))
                            .isInstanceOf(SQLException.class).hasMessageContaining("interrupt"));
            interrupts.leaveSqlite();
            assertThat(interrupts.end()).isEqualTo(StatementInterrupts.Cause.CANCEL);
            assertThat(PoolFixtures.queryLong(connection, "SELECT 7")).as("the connection works on").isEqualTo(7);
        }
    }
}

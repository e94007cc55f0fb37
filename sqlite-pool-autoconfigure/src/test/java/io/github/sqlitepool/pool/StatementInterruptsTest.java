package io.github.sqlitepool.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

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

    /** A cancel while the execution waits (for the write lane, say) is noted: it starts no SQL, and ends cancelled. */
    @Test
    void aCancelBeforeTheDriverIsCalledKeepsTheExecutionOutOfIt() throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("interrupts.db"))) {
            StatementInterrupts interrupts = new StatementInterrupts(((SQLiteConnection) connection).getDatabase());
            interrupts.cancel(); // nothing runs: nothing to stop, and nothing kept for later
            interrupts.begin(0);
            assertThat(interrupts.enterSqlite()).isTrue();
            interrupts.leaveSqlite();
            assertThat(interrupts.end()).isEqualTo(StatementInterrupts.Cause.NONE);

            interrupts.begin(0);
            interrupts.cancel();
            assertThat(interrupts.enterSqlite()).isFalse();
            assertThat(interrupts.started()).isFalse();
            assertThat(interrupts.end()).isEqualTo(StatementInterrupts.Cause.CANCEL);
            assertThat(PoolFixtures.queryLong(connection, "SELECT 7")).as("no interrupt reached SQLite").isEqualTo(7);
        }
    }

    /**
     * Another thread cancels without pause while executions follow one another: an interrupt
     * reaches SQLite only while an execution is inside the driver, and is counted for that one, so
     * an execution that ends without a cause was never interrupted.
     */
    @Test
    void anExecutionThatEndsWithoutACauseWasNeverInterruptedWhileAnotherThreadCancels() throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("interrupts.db"))) {
            StatementInterrupts interrupts = new StatementInterrupts(((SQLiteConnection) connection).getDatabase());
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong cancels = new AtomicLong();
            Thread canceller = new Thread(() -> {
                while (!stop.get()) {
                    try {
                        interrupts.cancel();
                        cancels.incrementAndGet();
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            canceller.start();
            int cancelled = 0;
            try {
                assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                    for (int i = 0; i < 5_000; i++) {
                        interrupts.begin(0);
                        SQLException failure = null;
                        if (interrupts.enterSqlite()) {
                            try {
                                PoolFixtures.queryLong(connection, "SELECT 1");
                            } catch (SQLException e) {
                                failure = e;
                            } finally {
                                interrupts.leaveSqlite();
                            }
                        }
                        StatementInterrupts.Cause cause = interrupts.end();
                        if (cause == StatementInterrupts.Cause.NONE) {
                            assertThat((Throwable) failure).as("execution %d ended without a cause", i).isNull();
                        }
                    }
                });
            } finally {
                stop.set(true);
                canceller.join(10_000);
            }
            assertThat(canceller.isAlive()).isFalse();
            assertThat(cancels.get()).isPositive();
            interrupts.begin(0);
            assertThat(interrupts.enterSqlite()).isTrue();
            assertThat(PoolFixtures.queryLong(connection, "SELECT 7")).isEqualTo(7);
            interrupts.leaveSqlite();
            assertThat(interrupts.end()).isEqualTo(StatementInterrupts.Cause.NONE);
        }
    }

    /**
     * Regression: a deadline timer that fired as its execution ended, and got to run only after
     * the next execution had begun, stopped that next execution.
     */
    @Test
    void aDeadlineThatFiresAsItsExecutionEndsNeverStopsTheNextOne() throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("interrupts.db"))) {
            StatementInterrupts interrupts = new StatementInterrupts(((SQLiteConnection) connection).getDatabase());
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                synchronized (interrupts) { // the timer's task waits for this monitor, as it would for end()
                    interrupts.begin(1);
                    assertThat(interrupts.enterSqlite()).isTrue();
                    interrupts.leaveSqlite();
                    await().atMost(Duration.ofSeconds(10)).until(StatementInterruptsTest::deadlineTimerBlocked);
                    assertThat(interrupts.end()).as("its deadline passed").isEqualTo(StatementInterrupts.Cause.DEADLINE);
                    interrupts.begin(0);
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> !deadlineTimerBlocked());
                assertThat(interrupts.enterSqlite()).as("the next execution is not stopped").isTrue();
                assertThat(PoolFixtures.queryLong(connection, "SELECT 7")).isEqualTo(7);
                interrupts.leaveSqlite();
                assertThat(interrupts.end()).isEqualTo(StatementInterrupts.Cause.NONE);
            });
        }
    }

    private static boolean deadlineTimerBlocked() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(thread -> thread.getName().equals("sqlite-pool-query-deadlines")
                        && thread.getState() == Thread.State.BLOCKED);
    }
}

package io.github.sqlitepool.pool;

import static io.github.sqlitepool.pool.PoolFixtures.execute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** What a lease's end takes with it: its statements and its metadata result sets, also when aborted from another thread. */
class LeaseEndTest {

    private static final Executor DIRECT = Runnable::run;

    @RegisterExtension
    final HelperThreads helpers = new HelperThreads();

    @TempDir
    Path dir;

    private SqlitePool pool;

    @BeforeEach
    void openPool() throws SQLException {
        pool = PoolFixtures.pool(dir, 1); // one connection: the next lease gets the same one
        try (Connection lease = pool.getConnection()) {
            execute(lease, "CREATE TABLE items(id INTEGER PRIMARY KEY, name TEXT)");
            execute(lease, "CREATE TABLE tags(id INTEGER PRIMARY KEY, tag TEXT)");
        }
    }

    @AfterEach
    void closePool() {
        pool.close();
    }

    /** Regression: the metadata result set kept answering, and kept sqlite-jdbc's statement open. */
    @Test
    void metadataResultSetLeftOpenDiesWithItsLease() throws SQLException {
        Connection lease = pool.getConnection();
        ResultSet tables = lease.getMetaData().getTables(null, null, "%", null);
        assertThat(tables.next()).isTrue();
        lease.close();

        assertThatThrownBy(tables::next).isInstanceOf(SQLException.class).hasMessageContaining("closed");
        assertThat(tables.isClosed()).isTrue();
        try (Connection next = pool.getConnection()) {
            execute(next, "VACUUM"); // failed with "cannot VACUUM - SQL statements in progress"
            execute(next, "INSERT INTO items(name) VALUES ('after')");
        }
    }

    @Test
    void metadataResultSetClosedByItsHolderStaysClosedAndTheLeaseEndsNormally() throws SQLException {
        try (Connection lease = pool.getConnection()) {
            DatabaseMetaData metaData = lease.getMetaData();
            try (ResultSet columns = metaData.getColumns(null, null, "items", "%")) {
                assertThat(columns.next()).isTrue();
                assertThat(columns.getString("COLUMN_NAME")).isEqualTo("id");
                assertThat(columns.getStatement()).isNull();
            }
            try (ResultSet tables = metaData.getTables(null, null, "tags", null)) {
                assertThat(tables.next()).isTrue();
                assertThat(tables.getString("TABLE_NAME")).isEqualTo("tags");
            }
        }
        try (Connection next = pool.getConnection()) {
            execute(next, "VACUUM");
        }
    }

    @Test
    void statementLeftOpenFailsOnceItsLeaseIsClosed() throws SQLException {
        Connection lease = pool.getConnection();
        Statement statement = lease.createStatement();
        ResultSet results = statement.executeQuery("SELECT name FROM sqlite_master");
        lease.close();

        assertThat(statement.isClosed()).isTrue();
        assertThatThrownBy(() -> statement.executeQuery("SELECT 1")).isInstanceOf(SQLException.class);
        assertThatThrownBy(results::next).isInstanceOf(SQLException.class);
        try (Connection next = pool.getConnection()) {
            execute(next, "VACUUM");
        }
    }

    /**
     * abort() from another thread closes the lease's statements while the owner keeps opening
     * and closing them. The owner sees SQLExceptions only (never a ConcurrentModificationException
     * or an IndexOutOfBoundsException from the lease's bookkeeping), every statement it got ends
     * closed, and the pool replaces the connection.
     */
    @Test
    void abortFromAnotherThreadWhileTheOwnerOpensAndClosesStatements() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int round = 0; round < 30; round++) {
                Connection lease = pool.getConnection();
                CountDownLatch working = new CountDownLatch(50);
                Future<Statement> owner = helpers.submit(() -> {
                    Statement last = null;
                    try {
                        while (true) {
                            Statement kept = lease.createStatement(); // left open: the lease closes it
                            last = kept;
                            try (Statement statement = lease.createStatement()) {
                                statement.executeQuery("SELECT count(*) FROM items").close();
                            }
                            working.countDown();
                        }
                    } catch (SQLException expected) {
                        return last;
                    }
                });
                assertThat(working.await(10, TimeUnit.SECONDS)).isTrue();
                lease.abort(DIRECT);
                Statement lastKept = owner.get(10, TimeUnit.SECONDS); // an unchecked exception fails here
                assertThat(lastKept.isClosed()).isTrue();
                assertThat(lease.isClosed()).isTrue();
            }
            try (Connection next = pool.getConnection()) {
                execute(next, "VACUUM");
            }
        });
    }

    /**
     * A lease's first statement races the lease's end in another thread (a close, or an abort):
     * the statement is refused, or it is made, tracked, and closed with the lease. (Running SQL
     * while another thread closes the lease is not covered: a lease may be closed from another
     * thread once its own thread is done with it, and {@code abort()} is for a thread still using
     * it; see the README, "The pool's contract".)
     */
    @Test
    void theLeasesFirstStatementRacingItsEndInAnotherThread() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int round = 0; round < 200; round++) {
                boolean abort = round % 2 == 1;
                Connection lease = pool.getConnection();
                CyclicBarrier start = new CyclicBarrier(2);
                Future<PreparedStatement> owner = helpers.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    try {
                        return lease.prepareStatement("SELECT name FROM items"); // a native statement of the driver
                    } catch (SQLException endedFirst) {
                        if (!abort) { // an abort closes the driver's connection: the driver may answer first
                            assertThat(endedFirst.getSQLState()).isEqualTo("08003");
                        }
                        return null;
                    }
                });
                start.await(10, TimeUnit.SECONDS);
                if (abort) {
                    lease.abort(DIRECT);
                } else {
                    lease.close();
                }
                PreparedStatement made = owner.get(10, TimeUnit.SECONDS);
                if (made != null) {
                    assertThat(made.isClosed()).as("round %d: a statement made before the end", round).isTrue();
                    assertThatThrownBy(made::executeQuery).isInstanceOf(SQLException.class);
                }
                assertThat(lease.isClosed()).isTrue();
            }
            try (Connection next = pool.getConnection()) {
                execute(next, "VACUUM");
            }
        });
    }
}

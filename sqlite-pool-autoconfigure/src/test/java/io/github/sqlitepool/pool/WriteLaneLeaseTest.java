package io.github.sqlitepool.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.sqlitepool.pool.config.SqlitePoolConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** How leases take and give back the write lane, on a real SQLite file. */
class WriteLaneLeaseTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final HelperThreads executor = new HelperThreads();

    private SqlitePool pool;

    @AfterEach
    void close() {
        if (pool != null) {
            pool.close();
        }
    }

    private SqlitePool pool(boolean laneEnabled, Duration acquireTimeout) throws SQLException {
        pool = new SqlitePool(SqlitePoolConfig.builder()
                .url("jdbc:sqlite:" + dir.resolve("lane.db"))
                .name("lane-pool")
                .maxConnections(4)
                .acquireTimeout(acquireTimeout)
                .shutdownTimeout(Duration.ofSeconds(2))
                .writeLaneEnabled(laneEnabled)
                .build());
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS counter (id INTEGER PRIMARY KEY, v INTEGER NOT NULL)");
            s.execute("INSERT OR REPLACE INTO counter VALUES (1, 0)");
        }
        assertLaneFree();
        return pool;
    }

    private SqlitePool pool() throws SQLException {
        return pool(true, Duration.ofSeconds(30));
    }

    private void assertLaneFree() {
        assertThat(pool.writeLaneStats().holderThread()).as("lane holder").isNull();
    }

    private void assertLaneHeldByMe() {
        assertThat(pool.writeLaneStats().holderThread()).isEqualTo(Thread.currentThread().getName());
    }

    private long counter(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT v FROM counter WHERE id = 1")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private long counter() throws SQLException {
        try (Connection c = pool.getConnection()) {
            return counter(c);
        }
    }

    /** Runs {@code task} on another thread and keeps the lane held there until released. */
    private final class LaneHolder implements AutoCloseable {

        private final CountDownLatch holding = new CountDownLatch(1);

        private final CountDownLatch release = new CountDownLatch(1);

        private final Future<?> future;

        LaneHolder() throws InterruptedException {
            future = executor.submit(() -> {
                Thread.currentThread().setName("lane-holding-writer");
                try (Connection c = pool.getConnection()) {
                    c.setAutoCommit(false);
                    try (Statement s = c.createStatement()) {
                        s.executeUpdate("UPDATE counter SET v = v + 100 WHERE id = 1");
                    }
                    holding.countDown();
                    release.await();
                    c.commit();
                    c.setAutoCommit(true);
                }
                return null;
            });
            if (!holding.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("writer did not take the lane");
            }
        }

        @Override
        public void close() throws Exception {
            release.countDown();
            future.get(10, TimeUnit.SECONDS);
        }
    }

    /** A writer's timeout names the holder; one whose thread ended left a lease nothing will close. */
    @Test
    void aHolderWhoseThreadEndedIsNamedAsSuchWhenWritersTimeOut() throws Exception {
        pool(true, Duration.ofMillis(200));
        Thread leaker = new Thread(() -> {
            try {
                Connection leaked = pool.getConnection(); // never closed
                leaked.setAutoCommit(false);
                try (Statement s = leaked.createStatement()) {
                    s.executeUpdate("UPDATE counter SET v = v + 1 WHERE id = 1");
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }, "leaker");
        leaker.start();
        leaker.join(10_000);
        assertThat(leaker.isAlive()).isFalse();

        assertThat(pool.writeLaneStats().holderThread()).isEqualTo("leaker (ended, its connection never closed)");
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeUpdate("UPDATE counter SET v = 0 WHERE id = 1"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("held by thread 'leaker (ended, its connection never closed)'");
        }
    }

    @Test
    void autoCommitWriteHoldsTheLaneOnlyWhileItRuns() throws Exception {
        pool();
        List<String> events = new CopyOnWriteArrayList<>();
        pool.addListener(new PoolListener() {
            @Override
            public void writeLaneAcquired(long waitNanos) {
                events.add("acquired");
            }

            @Override
            public void writeLaneReleased(long heldNanos) {
                events.add("released");
            }
        });
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            assertThat(s.executeUpdate("UPDATE counter SET v = v + 1")).isEqualTo(1);
            assertLaneFree();
            assertThat(counter(c)).isEqualTo(1);
        }
        assertThat(events).containsExactly("acquired", "released");
    }

    @Test
    void transactionHoldsTheLaneRevocablyFromItsBeginFirmlyFromItsFirstWriteAndLetsItGoAtCommit() throws Exception {
        pool();
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            assertLaneHeldByMe();
            assertOthersCanWrite("a transaction that has run nothing holds the lane revocably, and not SQLite's lock");
            assertLaneFree();
            assertThat(pool.writeLaneStats().revocations()).isEqualTo(1);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE counter SET v = v + 1");
            }
            assertLaneHeldByMe();
            assertOthersCannotWrite("the first write took SQLite's write lock");
            c.commit();
            // sqlite-jdbc begins the next transaction at once; it is deferred and lane-free
            assertLaneFree();
            assertThat(counter()).as("committed, and readable by others").isEqualTo(2);
            c.rollback();
            assertLaneFree();
            c.setAutoCommit(true);
            assertLaneFree();
        }
        assertThat(counter()).isEqualTo(2);
    }

    /**
     * Regression: a statement's query timeout, once its execution was over, still bounded the
     * lease's later waits for the lane outside any execution; a begin after that deadline gave up
     * at once instead of waiting for the holder.
     */
    @Test
    void anEarlierStatementsQueryTimeoutDoesNotBoundALaterBeginsWaitForTheLane() throws Exception {
        pool();
        try (Connection c = pool.getConnection()) {
            try (Statement s = c.createStatement()) {
                s.setQueryTimeout(1);
                s.executeQuery("SELECT 1").close();
            }
            long deadlinePassed = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1_100);
            CountDownLatch holding = new CountDownLatch(1);
            Future<?> holder = executor.submit(() -> {
                try (Connection other = pool.getConnection()) {
                    other.setAutoCommit(false);
                    update(other, "UPDATE counter SET v = v + 1");
                    holding.countDown();
                    // the clock passes the old deadline, then the begin below waits for this holder
                    await().atMost(Duration.ofSeconds(10)).until(() -> System.nanoTime() - deadlinePassed >= 0
                            && pool.writeLaneStats().waiting() == 1);
                    other.commit();
                }
                return null;
            });
            assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> System.nanoTime() - deadlinePassed >= 0);
            c.setAutoCommit(false); // waits for the lane: the holder commits once it sees this wait
            assertLaneHeldByMe();
            holder.get(10, TimeUnit.SECONDS);
            update(c, "UPDATE counter SET v = v + 1");
            c.commit();
        }
        assertThat(counter()).isEqualTo(2);
    }

    /** Another lease of the pool writes (and commits) through the lane, on another thread. */
    private void assertOthersCanWrite(String why) throws Exception {
        executor.submit(() -> {
            try (Connection other = pool.getConnection()) {
                update(other, "UPDATE counter SET v = v + 1");
            }
            return null;
        }).get(10, TimeUnit.SECONDS);
    }

    /** Another connection of the pool, writing past the lane with no busy timeout, meets SQLite's lock. */
    private void assertOthersCannotWrite(String why) throws Exception {
        executor.submit(() -> {
            try (Connection other = pool.getConnection()) {
                ConnectionLease raw = (ConnectionLease) other;
                try (Statement s = raw.entry.raw().createStatement()) {
                    s.execute("PRAGMA busy_timeout = 0");
                    assertThatThrownBy(() -> s.executeUpdate("UPDATE counter SET v = v"))
                            .as(why).hasMessageContaining("SQLITE_BUSY");
                    s.execute("PRAGMA busy_timeout = 5000");
                }
            }
            return null;
        }).get(10, TimeUnit.SECONDS);
    }

    /** Runs one update through its own statement, closed again, the way JdbcTemplate does. */
    private static void update(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate(sql);
        }
    }

    @Test
    void aTransactionThatReadsFirstHoldsTheLaneFromThatReadUntilItEnds() throws Exception {
        pool();
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            update(c, "UPDATE counter SET v = v + 1");
            c.commit();
            assertLaneFree();
            // another lease writes between the two transactions of this one
            assertOthersCanWrite("the lane went at commit()");
            // the next transaction: its first statement, a read, takes the lane (revocably)
            assertThat(counter(c)).as("sees the other lease's write").isEqualTo(2);
            assertLaneHeldByMe();
            update(c, "UPDATE counter SET v = v + 100");
            assertOthersCannotWrite("the write after the read took SQLite's write lock");
            c.rollback();
            assertLaneFree();
            assertThat(counter()).as("the rolled-back update is gone").isEqualTo(2);
            update(c, "UPDATE counter SET v = v + 1000");
            assertLaneHeldByMe();
            c.commit();
            c.setAutoCommit(true);
        }
        assertLaneFree();
        assertThat(counter()).isEqualTo(1002);
        assertThat(pool.writeLaneStats().serializationFailures()).isZero();
    }

    @Test
    void aResultStillOpenAtCommitKeepsItsSnapshotSoALaterWriteAfterAnotherCommitIsASerializationFailure()
            throws Exception {
        pool();
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE counter SET v = v + 1");
                // a result still pending keeps its snapshot past the COMMIT
                ResultSet pending = s.executeQuery("SELECT v FROM counter");
                assertThat(pending.next()).as("a row read, the statement still stepping").isTrue();
                c.commit();
                assertLaneFree();
                assertThat(pending.isClosed()).as("the commit left the result open").isFalse();
                assertThat(pending.getLong(1)).as("the row read before the commit").isEqualTo(1);
                pending.close();
                s.executeUpdate("UPDATE counter SET v = v + 1");
                c.commit();
                ResultSet again = s.executeQuery("SELECT v FROM counter");
                c.commit();
                assertOthersCanWrite("the lane went at commit()");
                assertThatThrownBy(() -> s.executeUpdate("UPDATE counter SET v = v + 1"))
                        .isInstanceOf(SQLException.class)
                        .hasFieldOrPropertyWithValue("SQLState", "40001")
                        .hasMessageContaining("committed since its first read");
                again.close();
                c.rollback();
            }
            assertLaneFree();
            c.setAutoCommit(true);
        }
        assertLaneFree();
        assertThat(counter()).isEqualTo(3);
        assertThat(pool.writeLaneStats().serializationFailures()).isEqualTo(1);
    }

    @Test
    void aSavepointAfterACommitBelongsToTheNextWriteTransaction() throws Exception {
        pool();
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            update(c, "UPDATE counter SET v = 1");
            c.commit();
            assertLaneFree();
            Savepoint before = c.setSavepoint("before");
            assertLaneFree(); // a savepoint writes nothing
            update(c, "UPDATE counter SET v = 2");
            assertLaneHeldByMe();
            c.rollback(before);
            update(c, "UPDATE counter SET v = v + 5");
            c.commit();
            c.setAutoCommit(true);
        }
        assertLaneFree();
        assertThat(counter()).as("the savepoint survived the first statement after it").isEqualTo(6);
    }

    @Test
    void aLeaseClosedInTheTransactionAfterACommitLeavesNothingBehind() throws Exception {
        pool();
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            update(c, "UPDATE counter SET v = 3");
            c.commit();
        }
        assertLaneFree();
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            update(c, "UPDATE counter SET v = v + 1");
            c.commit();
            update(c, "UPDATE counter SET v = v + 100"); // never committed
        }
        assertLaneFree();
        assertThat(counter()).isEqualTo(4);
        try (Connection c = pool.getConnection()) {
            assertThat(c.getAutoCommit()).isTrue();
            c.setAutoCommit(false);
            assertLaneHeldByMe();
            assertOthersCanWrite("a fresh transaction on a returned connection begins deferred, its lane revocable");
            c.setAutoCommit(true);
        }
    }

    @Test
    void readOnlyTransactionAndAutoCommitReadRunWhileAWriterHoldsTheLane() throws Exception {
        pool();
        try (LaneHolder writer = new LaneHolder()) {
            assertThat(pool.writeLaneStats().holderThread()).isEqualTo("lane-holding-writer");
            Future<Long> readOnly = executor.submit(() -> {
                try (Connection c = pool.getConnection()) {
                    c.setReadOnly(true);
                    c.setAutoCommit(false);
                    long value = counter(c);
                    c.commit();
                    c.setAutoCommit(true);
                    return value;
                }
            });
            Future<Long> autoCommitRead = executor.submit(() -> counter());
            Future<Long> readThroughExecute = executor.submit(() -> {
                try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                    assertThat(s.execute("SELECT v FROM counter")).isTrue();
                    try (ResultSet rs = s.getResultSet()) {
                        rs.next();
                        return rs.getLong(1);
                    }
                }
            });
            // the writer's change is not committed: readers see the snapshot before it
            assertThat(readOnly.get(10, TimeUnit.SECONDS)).isZero();
            assertThat(autoCommitRead.get(10, TimeUnit.SECONDS)).isZero();
            assertThat(readThroughExecute.get(10, TimeUnit.SECONDS)).isZero();
            assertThat(pool.writeLaneStats().holderThread()).isEqualTo("lane-holding-writer");
        }
        assertLaneFree();
        assertThat(counter()).isEqualTo(100);
    }

    @Test
    void nestedWriteOnTheSameThreadThroughASecondLeaseFailsFast() throws Exception {
        pool(); // acquire-timeout 30 s: only a fast failure ends within the 10 s bound below
        Throwable failure = executor.submit(() -> {
            Thread.currentThread().setName("nesting-thread");
            try (Connection outer = pool.getConnection()) {
                outer.setAutoCommit(false);
                try (Statement s = outer.createStatement()) {
                    s.executeUpdate("UPDATE counter SET v = v + 1");
                }
                try (Connection inner = pool.getConnection(); Statement s = inner.createStatement()) {
                    s.executeUpdate("UPDATE counter SET v = v + 10");
                    return null;
                } catch (SQLException e) {
                    return e;
                } finally {
                    outer.commit();
                    outer.setAutoCommit(true);
                }
            }
        }).get(10, TimeUnit.SECONDS);
        assertThat(failure).isInstanceOf(SQLException.class)
                .hasMessageContaining("nesting-thread")
                .hasMessageContaining("already holds the lane")
                .hasMessageContaining("waiting could never succeed");
        assertLaneFree();
        assertThat(counter()).isEqualTo(1);
    }

    @Test
    void nestedReadOnTheSameThreadStillWorks() throws Exception {
        pool();
        try (Connection outer = pool.getConnection()) {
            outer.setAutoCommit(false);
            try (Statement s = outer.createStatement()) {
                s.executeUpdate("UPDATE counter SET v = v + 1");
            }
            assertThat(counter()).isZero(); // a read through a second lease needs no lane
            outer.commit();
        }
        assertLaneFree();
        assertThat(counter()).isEqualTo(1);
    }

    @Test
    void aFirstReadBehindALongWriteGoesOnWithoutTheLaneAndItsLaterWriteIsASerializationFailure()
            throws Exception {
        pool(); // acquire-timeout 30 s: the read must not wait for it
        Connection c = pool.getConnection();
        try (c) {
            c.setAutoCommit(false);
            try (LaneHolder writer = new LaneHolder()) {
                assertThat(executor.submit(() -> counter(c)).get(10, TimeUnit.SECONDS))
                        .as("read after the read wait, without the lane").isZero();
                assertThat(pool.writeLaneStats().holderThread()).isEqualTo("lane-holding-writer");
            } // the writer commits +100
            assertThatThrownBy(() -> update(c, "UPDATE counter SET v = v + 1"))
                    .hasFieldOrPropertyWithValue("SQLState", "40001");
            c.rollback();
            c.setAutoCommit(true);
        }
        assertLaneFree();
        assertThat(counter()).isEqualTo(100);
    }

    @Test
    void laneTimeoutNamesTheHolder() throws Exception {
        pool(true, Duration.ofMillis(200));
        try (LaneHolder writer = new LaneHolder(); Connection c = pool.getConnection()) {
            c.setAutoCommit(false); // waits the 200 ms for the lane, then begins without it
            try (Statement s = c.createStatement()) {
                assertThatThrownBy(() -> s.executeUpdate("UPDATE counter SET v = 5"))
                        .isInstanceOf(SQLTransientConnectionException.class)
                        .hasMessageContaining("not available within 200 ms")
                        .hasMessageContaining("held by thread 'lane-holding-writer' for ")
                        .hasMessageContaining("pool 'lane-pool'");
            }
            c.rollback();
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                assertThatThrownBy(() -> s.executeUpdate("UPDATE counter SET v = 5"))
                        .isInstanceOf(SQLTransientConnectionException.class)
                        .hasMessageContaining("lane-holding-writer");
            }
        }
        assertLaneFree();
        assertThat(counter()).isEqualTo(100);
    }

    @Test
    void poolExhaustedMessageNamesTheLaneHolder() throws Exception {
        pool(true, Duration.ofMillis(200));
        try (LaneHolder writer = new LaneHolder();
                Connection a = pool.getConnection();
                Connection b = pool.getConnection();
                Connection c = pool.getConnection()) {
            assertThatThrownBy(pool::getConnection)
                    .isInstanceOf(SQLTransientConnectionException.class)
                    .hasMessageContaining("exhausted")
                    .hasMessageContaining("write lane held by thread 'lane-holding-writer'");
        }
    }

    @Test
    void laneIsReleasedWhenTheLeaseClosesInsideATransaction() throws Exception {
        pool();
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE counter SET v = v + 1");
            }
            assertLaneHeldByMe();
        }
        assertLaneFree();
        assertThat(counter()).isZero(); // rolled back by the reset
    }

    @Test
    void laneIsReleasedAfterAFailingStatementInAutoCommit() throws Exception {
        pool();
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeUpdate("INSERT INTO counter VALUES (1, 5)"))
                    .hasMessageContaining("UNIQUE");
            assertLaneFree();
            assertThatThrownBy(() -> s.executeUpdate("UPDATE no_such_table SET v = 1"))
                    .hasMessageContaining("no_such_table");
            assertLaneFree();
        }
    }

    @Test
    void laneIsReleasedAfterFailuresAtEveryPointOfATransaction() throws Exception {
        pool();
        // a failing statement, then rollback and back to auto-commit
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE counter SET v = v + 1");
                assertThatThrownBy(() -> s.executeUpdate("INSERT INTO counter VALUES (1, 5)"));
            }
            assertLaneHeldByMe();
            c.rollback();
            c.setAutoCommit(true);
            assertLaneFree();
        }
        // a failing statement, and the lease closed without any clean-up
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                assertThatThrownBy(() -> s.executeUpdate("nonsense"));
            }
        }
        assertLaneFree();
        // a failing commit (deferred foreign key), then back to auto-commit
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY)");
            s.execute("CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER "
                    + "REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)");
            s.execute("PRAGMA foreign_keys = ON");
            c.setAutoCommit(false);
            s.executeUpdate("INSERT INTO child VALUES (1, 42)");
            assertThatThrownBy(c::commit).hasMessageContaining("FOREIGN KEY");
            assertLaneHeldByMe();
            assertThatThrownBy(() -> c.setAutoCommit(true)).hasMessageContaining("FOREIGN KEY");
            assertLaneFree();
            assertThat(c.getAutoCommit()).isTrue();
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM child")) {
                rs.next();
                assertThat(rs.getInt(1)).isZero();
            }
        }
        assertLaneFree();
        // an abort in the middle of a transaction
        Connection aborted = pool.getConnection();
        aborted.setAutoCommit(false);
        update(aborted, "UPDATE counter SET v = v + 7");
        assertLaneHeldByMe();
        aborted.abort(Runnable::run);
        assertLaneFree();
        // a lease closed by another thread while it holds the lane
        Connection other = pool.getConnection();
        other.setAutoCommit(false);
        update(other, "UPDATE counter SET v = v + 7");
        assertLaneHeldByMe();
        executor.submit(() -> {
            other.close();
            return null;
        }).get(10, TimeUnit.SECONDS);
        assertLaneFree();
        // and the lane still works for everybody
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE counter SET v = v + 1");
            }
            c.commit();
            c.setAutoCommit(true);
        }
        assertLaneFree();
        assertThat(counter()).isEqualTo(1);
    }

    /**
     * A backup ({@code VACUUM INTO}) needs no writer, but writes a file, which a read-only lease's
     * {@code query_only} refuses: refused by the pool, as a write, not by SQLite as a storage failure.
     */
    @Test
    void aBackupOnAReadOnlyLeaseIsRefusedAsAWriteAndTheStorageStaysWritable() throws Exception {
        pool();
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            c.setReadOnly(true);
            assertThatThrownBy(() -> s.execute("VACUUM INTO '" + dir.resolve("copy.db") + "'"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("read-only")
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("25006");
        }
        assertThat(pool.storageHealth().writable()).isTrue();
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("VACUUM INTO '" + dir.resolve("copy.db") + "'"); // a read: beside the writer
        }
        assertThat(dir.resolve("copy.db")).exists();
    }

    @Test
    void writeInsideAReadOnlyTransactionFailsClearlyAndLeavesNothingBehind() throws Exception {
        pool();
        try (Connection c = pool.getConnection()) {
            c.setReadOnly(true);
            c.setAutoCommit(false);
            assertLaneFree();
            try (Statement s = c.createStatement()) {
                assertThatThrownBy(() -> s.executeUpdate("UPDATE counter SET v = 99"))
                        .isInstanceOf(SQLException.class)
                        .hasMessageContaining("read-only")
                        .hasMessageContaining("UPDATE counter SET v = 99");
                assertThatThrownBy(() -> s.executeQuery("INSERT INTO counter VALUES (2, 1) RETURNING id"))
                        .hasMessageContaining("read-only");
                assertThatThrownBy(() -> s.execute("PRAGMA query_only = 0"))
                        .hasMessageContaining("read-only");
                // would take SQLite's write lock beside the lane's holder
                assertThatThrownBy(() -> s.execute("BEGIN IMMEDIATE"))
                        .hasMessageContaining("read-only");
                // what the classifier lets through, SQLite's query_only still refuses
                ConnectionLease lease = (ConnectionLease) c;
                try (Statement raw = lease.entry.raw().createStatement()) {
                    assertThatThrownBy(() -> raw.executeUpdate("DELETE FROM counter"))
                            .hasMessageContaining("readonly");
                }
            }
            c.rollback();
            c.setAutoCommit(true);
            c.setReadOnly(false);
            assertThat(c.isReadOnly()).isFalse();
        }
        assertLaneFree();
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*), sum(v) FROM counter")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
            assertThat(rs.getLong(2)).isZero();
        }
    }

    @Test
    void returningThroughExecuteQueryHoldsTheLaneUntilTheStatementCloses() throws Exception {
        pool();
        try (Connection c = pool.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO counter (v) VALUES (?) RETURNING id")) {
                ps.setInt(1, 3);
                try (ResultSet rs = ps.executeQuery()) {
                    assertLaneHeldByMe();
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getLong(1)).isEqualTo(2);
                }
                // executed again: the earlier result is replaced, the lane stays for the new one
                ps.setInt(1, 4);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertThat(rs.getLong(1)).isEqualTo(3);
                }
                assertLaneHeldByMe();
            }
            assertLaneFree();
            try (Statement s = c.createStatement()) {
                assertThat(s.execute("SELECT count(*) FROM counter")).isTrue();
                assertLaneFree();
            }
        }
        assertLaneFree();
    }

    @Test
    void transactionOpenedInSqlHoldsTheLaneUntilItEnds() throws Exception {
        pool();
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("BEGIN");
            assertLaneHeldByMe();
            s.executeUpdate("UPDATE counter SET v = v + 1");
            s.execute("SAVEPOINT inner_sp");
            s.execute("RELEASE inner_sp");
            assertLaneHeldByMe();
            s.execute("COMMIT");
            assertLaneFree();
            s.execute("SAVEPOINT outer_sp");
            assertLaneHeldByMe();
            s.executeUpdate("UPDATE counter SET v = v + 1");
            s.execute("SAVEPOINT nested_sp");
            s.execute("ROLLBACK TO nested_sp");
            s.execute("RELEASE nested_sp");
            assertLaneHeldByMe();
            s.execute("RELEASE outer_sp");
            assertLaneFree();
            s.execute("BEGIN");
            s.executeUpdate("UPDATE counter SET v = v + 100");
        }
        // the lease was closed inside a transaction opened in SQL: rolled back, lane free
        assertLaneFree();
        assertThat(counter()).isEqualTo(2);
    }

    @Test
    void jdbcSavepointInAutoCommitModeOpensATransactionThatHoldsTheLaneRevocablyUntilItsFirstWrite() throws Exception {
        pool();
        try (Connection c = pool.getConnection()) {
            c.setSavepoint();
            assertThat(c.getAutoCommit()).isFalse();
            assertLaneHeldByMe(); // revocably: a deferred transaction that has written nothing
            assertOthersCanWrite("the savepoint's transaction has run nothing: its hold is revoked");
            try (Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE counter SET v = v + 1");
                assertLaneHeldByMe();
                java.sql.Savepoint inner = c.setSavepoint("inner");
                s.executeUpdate("UPDATE counter SET v = v + 10");
                c.rollback(inner);
            }
            assertLaneHeldByMe();
            c.commit();
            assertLaneFree(); // until the next transaction runs something
            c.setAutoCommit(true);
            assertLaneFree();
        }
        assertThat(counter()).as("the other writer's and this transaction's").isEqualTo(2);
    }

    @Test
    void disabledLaneBehavesAsBefore() throws Exception {
        pool(false, Duration.ofSeconds(30));
        assertThat(pool.writeLaneStats()).isEqualTo(new WriteLaneStats(false, null, 0L, 0));
        assertThat(pool.config().writeLaneEnabled()).isFalse();
        // two leases on one thread may both be open in transactions: nothing queues them
        try (Connection outer = pool.getConnection(); Connection inner = pool.getConnection()) {
            outer.setAutoCommit(false);
            assertLaneFree();
            try (Statement s = inner.createStatement()) {
                s.executeUpdate("UPDATE counter SET v = v + 1");
            }
            outer.commit();
            outer.setAutoCommit(true);
        }
        assertThat(counter()).isEqualTo(1);
        try (Connection c = pool.getConnection()) {
            c.setReadOnly(true);
            try (Statement s = c.createStatement()) {
                assertThatThrownBy(() -> s.executeUpdate("UPDATE counter SET v = 9")).hasMessageContaining("read-only");
                assertThatThrownBy(() -> s.execute("BEGIN EXCLUSIVE")).hasMessageContaining("read-only");
                s.execute("BEGIN");
                assertThat(counter(c)).isEqualTo(1);
                s.execute("COMMIT");
            }
        }
    }
}

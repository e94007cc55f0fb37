package io.github.sqlitepool.reliability;

import static io.github.sqlitepool.pool.PoolFixtures.execute;
import static io.github.sqlitepool.pool.PoolFixtures.queryLong;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

import io.github.sqlitepool.pool.HelperThreads;
import io.github.sqlitepool.pool.PoolFixtures;
import io.github.sqlitepool.pool.SqlitePool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deadlock group commit adds to code that holds a JVM lock across {@code commit()}: the
 * committing caller waits for its group, a later member of the group waits for the caller's lock.
 * The pool finds it from the waiting caller's thread ({@code GroupDeadlocks}) and rolls the member
 * back (SQLState {@code 40001}); the caller's transaction commits. Without that, the tests where it
 * is rolled back would wait forever (bounded here by the futures' timeouts, which then fail). Not in
 * the pool's package: a thread with the pool's frames on its stack is never rolled back.
 */
class GroupDeadlockTest {

    @TempDir
    Path dir;

    /** Stopped after each test: a thread still stuck 10 s after its interrupt fails the test. */
    @RegisterExtension
    final HelperThreads threads = new HelperThreads();

    private SqlitePool pool;

    @BeforeEach
    void open() throws SQLException {
        pool = new SqlitePool(PoolFixtures.config(dir, 4).groupCommit(PoolFixtures.GROUP_WHENEVER_WAITING).build());
        try (Connection connection = pool.getConnection()) {
            execute(connection, "CREATE TABLE t (id INTEGER PRIMARY KEY, owner TEXT UNIQUE)");
        }
    }

    @AfterEach
    void close() {
        pool.close();
    }

    /** The lock the two transactions share: {@code body} runs holding it. */
    private interface SharedLock {
        <T> T holding(Callable<T> body) throws Exception;
    }

    private static SharedLock monitor() {
        Object monitor = new Object();
        return new SharedLock() {
            @Override
            public <T> T holding(Callable<T> body) throws Exception {
                synchronized (monitor) {
                    return body.call();
                }
            }
        };
    }

    private static SharedLock reentrantLock() {
        ReentrantLock lock = new ReentrantLock();
        return new SharedLock() {
            @Override
            public <T> T holding(Callable<T> body) throws Exception {
                lock.lock();
                try {
                    return body.call();
                } finally {
                    lock.unlock();
                }
            }
        };
    }

    @Test
    void aMemberWaitingForTheSynchronizedBlockTheCommittingCallerHoldsIsRolledBackAndTheCallerCommits()
            throws Exception {
        Throwable victim = lockHeldAcrossCommit(monitor(), connection -> {
            insert(connection, "member-in-lock");
            connection.commit();
        });
        assertThat(victim).hasMessageContaining("nothing was run");
    }

    @Test
    void aMemberWaitingInLockOfAReentrantLockTheCommittingCallerHoldsFailsAtItsCommit() throws Exception {
        Throwable victim = lockHeldAcrossCommit(reentrantLock(), Connection::commit);
        assertThat(victim).hasMessageContaining("nothing was committed");
    }

    @Test
    void aMemberWaitingForALockOfAThreadThatWaitsForTheCallersLockIsRolledBack() throws Exception {
        Object callers = new Object();
        Object intermediates = new Object();
        CountDownLatch intermediateHoldsItsLock = new CountDownLatch(1);
        CountDownLatch callerHoldsItsLock = new CountDownLatch(1);
        SharedLock throughAnotherThread = new SharedLock() {
            @Override
            public <T> T holding(Callable<T> body) throws Exception {
                if (callerHoldsItsLock.getCount() == 0) { // the member: it takes the other thread's lock
                    synchronized (intermediates) {
                        return body.call();
                    }
                }
                synchronized (callers) { // the caller
                    callerHoldsItsLock.countDown();
                    assertThat(intermediateHoldsItsLock.await(10, TimeUnit.SECONDS)).isTrue();
                    return body.call();
                }
            }
        };
        Future<?> intermediate = threads.submit(() -> {
            synchronized (intermediates) {
                intermediateHoldsItsLock.countDown();
                assertThat(callerHoldsItsLock.await(10, TimeUnit.SECONDS)).isTrue();
                synchronized (callers) { // blocked until the caller's commit returns
                    return null;
                }
            }
        });
        Throwable victim = lockHeldAcrossCommit(throughAnotherThread, connection -> {
            insert(connection, "member-in-lock");
            connection.commit();
        });
        assertThat(victim).hasMessageContaining("held by thread '").hasMessageContaining(", which waits for");
        intermediate.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aSavepointOfAMemberRolledBackWentWithItsTransactionAndSaysSoNotThatItIsUnknown() throws Exception {
        AtomicReference<Savepoint> nested = new AtomicReference<>();
        AtomicReference<Throwable> released = new AtomicReference<>();
        Throwable victim = lockHeldAcrossCommit(monitor(), connection -> nested.set(connection.setSavepoint("nested")),
                connection -> {
                    released.set(catchThrowable(() -> connection.releaseSavepoint(nested.get())));
                    connection.rollback(nested.get()); // Spring's NESTED, after the nested part failed
                });
        assertThat(victim).hasMessageContaining("its savepoints went with it");
        assertThat(released.get()).isInstanceOf(SQLTransactionRollbackException.class)
                .hasMessageContaining("rolled back to break a deadlock")
                .hasMessageContaining("its savepoints went with it");
    }

    /** What the member runs, on its transaction's connection. */
    private interface Work {
        void run(Connection connection) throws SQLException;
    }

    /** Returns the member's error, after checking what every such deadlock must leave. */
    private Throwable lockHeldAcrossCommit(SharedLock lock, Work inLock) throws Exception {
        return lockHeldAcrossCommit(lock, connection -> { }, inLock);
    }

    /** {@link #lockHeldAcrossCommit(SharedLock, Work)}, the member running {@code beforeLock} after its first insert. */
    private Throwable lockHeldAcrossCommit(SharedLock lock, Work beforeLock, Work inLock) throws Exception {
        AtomicLong memberLastInsert = new AtomicLong();
        CountDownLatch callerHoldsTheLock = new CountDownLatch(1);
        Future<Throwable> caller = threads.submit(() -> lock.holding(() -> callerCommits(callerHoldsTheLock)));
        assertThat(callerHoldsTheLock.await(10, TimeUnit.SECONDS)).isTrue();
        Future<Throwable> member = threads.submit(() -> {
            try (Connection connection = pool.getConnection()) {
                connection.setAutoCommit(false);
                insert(connection, "member");
                beforeLock.run(connection);
                Throwable outcome = lock.holding(() -> {
                    try {
                        inLock.run(connection);
                        return null;
                    } catch (SQLException e) {
                        connection.rollback();
                        return e;
                    }
                });
                // as after a rollback on the plain driver: the rolled-back insert's id (the caller's row is 1)
                memberLastInsert.set(queryLong(connection, "SELECT last_insert_rowid()"));
                // the lease goes on: a retry of the transaction commits, alone
                insert(connection, "member-retry");
                connection.commit();
                connection.setAutoCommit(true);
                return outcome;
            }
        });

        assertThat(caller.get(20, TimeUnit.SECONDS)).as("the caller's commit").isNull();
        Throwable victim = member.get(20, TimeUnit.SECONDS);
        assertThat(victim).isInstanceOf(SQLTransactionRollbackException.class)
                .hasMessageContaining("rolled back to break a deadlock")
                .hasMessageContaining("held by thread '");
        assertThat(((SQLException) victim).getSQLState()).isEqualTo("40001");
        assertThat(count("owner = 'caller'")).as("the caller's insert, committed").isOne();
        assertThat(count("owner IN ('member', 'member-in-lock')")).as("nothing of the rolled-back member").isZero();
        assertThat(count("owner = 'member-retry'")).isOne();
        assertThat(memberLastInsert.get()).isEqualTo(2L);
        assertThat(pool.writeLaneStats().holderThread()).as("the lane is free").isNull();
        return victim;
    }

    @Test
    void anAutoCommitWriteWhoseCallerHoldsTheLockALaterMemberWaitsForGetsItsOutcome() throws Exception {
        pool.close();
        pool = new SqlitePool(PoolFixtures.config(dir, 4)
                .groupCommit(PoolFixtures.GROUP_WHENEVER_WAITING.withAutoCommitWrites(true)).build());
        Object lock = new Object();
        try (Connection holder = pool.getConnection()) {
            holder.setAutoCommit(false);
            insert(holder, "holder"); // holds the lane: the write and the member below wait for it
            CountDownLatch writerHoldsTheLock = new CountDownLatch(1);
            Future<Throwable> writer = threads.submit(() -> {
                synchronized (lock) {
                    writerHoldsTheLock.countDown();
                    try (Connection connection = pool.getConnection()) {
                        insert(connection, "auto-commit"); // taken by the holder's group; waits for its end
                        return null;
                    } catch (SQLException e) {
                        return e;
                    }
                }
            });
            assertThat(writerHoldsTheLock.await(10, TimeUnit.SECONDS)).isTrue();
            PoolFixtures.awaitLaneWaiters(pool, 1);
            Future<Throwable> member = threads.submit(() -> {
                try (Connection connection = pool.getConnection()) {
                    connection.setAutoCommit(false);
                    insert(connection, "member");
                    synchronized (lock) {
                        insert(connection, "member-in-lock");
                    }
                    connection.commit();
                    return null;
                } catch (SQLException e) {
                    return e;
                }
            });
            PoolFixtures.awaitLaneWaiters(pool, 2);
            holder.commit(); // runs the write, hands the lane to the member, and waits for the group
            holder.setAutoCommit(true);

            assertThat(writer.get(20, TimeUnit.SECONDS)).as("the auto-commit write").isNull();
            assertThat(member.get(20, TimeUnit.SECONDS)).isInstanceOf(SQLTransactionRollbackException.class)
                    .hasMessageContaining("rolled back to break a deadlock");
        }
        assertThat(count("owner IN ('holder', 'auto-commit')")).isEqualTo(2);
        assertThat(count("owner IN ('member', 'member-in-lock')")).isZero();
    }

    @Test
    void aMemberWaitingForALockOfAThreadOutsideTheGroupIsWaitedForAndCommits() throws Exception {
        Object unrelated = new Object();
        CountDownLatch unrelatedHeld = new CountDownLatch(1);
        CountDownLatch letUnrelatedGo = new CountDownLatch(1);
        Future<?> holder = threads.submit(() -> {
            synchronized (unrelated) {
                unrelatedHeld.countDown();
                letUnrelatedGo.await();
            }
            return null;
        });
        assertThat(unrelatedHeld.await(10, TimeUnit.SECONDS)).isTrue();
        CountDownLatch memberWaitsForTheLock = new CountDownLatch(1);
        CountDownLatch callerWrote = new CountDownLatch(1);
        Future<Throwable> caller = threads.submit(() -> callerCommits(callerWrote));
        assertThat(callerWrote.await(10, TimeUnit.SECONDS)).isTrue();
        Future<Throwable> member = threads.submit(() -> {
            try (Connection connection = pool.getConnection()) {
                connection.setAutoCommit(false);
                insert(connection, "member");
                memberWaitsForTheLock.countDown();
                synchronized (unrelated) {
                    insert(connection, "member-in-lock");
                }
                connection.commit();
                connection.setAutoCommit(true);
                return null;
            } catch (SQLException e) {
                return e;
            }
        });
        assertThat(memberWaitsForTheLock.await(10, TimeUnit.SECONDS)).isTrue();
        // several of the caller's looks (one every 200 ms) find no cycle: it goes on waiting
        await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(5)).until(() -> !caller.isDone());
        letUnrelatedGo.countDown();

        assertThat(caller.get(20, TimeUnit.SECONDS)).isNull();
        assertThat(member.get(20, TimeUnit.SECONDS)).isNull();
        holder.get(10, TimeUnit.SECONDS);
        assertThat(count("owner IN ('caller', 'member', 'member-in-lock')")).isEqualTo(3);
    }

    @Test
    void aMemberWithAResultOpenIsNotRolledBackFromAnotherThreadAndAnAbortOfItEndsTheWait() throws Exception {
        // its lease could not go back to its own connection with a cursor open on the group's
        Object lock = new Object();
        CountDownLatch callerHoldsTheLock = new CountDownLatch(1);
        CountDownLatch memberWaits = new CountDownLatch(1);
        AtomicReference<Connection> memberConnection = new AtomicReference<>();
        Future<Throwable> caller = threads.submit(() -> {
            synchronized (lock) {
                return callerCommits(callerHoldsTheLock);
            }
        });
        assertThat(callerHoldsTheLock.await(10, TimeUnit.SECONDS)).isTrue();
        Future<Throwable> member = threads.submit(() -> {
            try (Connection connection = pool.getConnection()) {
                memberConnection.set(connection);
                connection.setAutoCommit(false);
                insert(connection, "member");
                try (Statement statement = connection.createStatement();
                        ResultSet rows = statement.executeQuery("SELECT owner FROM t")) {
                    rows.next();
                    memberWaits.countDown();
                    synchronized (lock) {
                        rows.next();
                    }
                }
                connection.commit();
                return null;
            } catch (SQLException e) {
                return e;
            }
        });
        assertThat(memberWaits.await(10, TimeUnit.SECONDS)).isTrue();
        await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(5)).until(() -> !caller.isDone());

        memberConnection.get().abort(Runnable::run); // the operator's way out: the member's thread is stuck outside the pool

        assertThat(caller.get(20, TimeUnit.SECONDS)).isNull();
        assertThat(member.get(20, TimeUnit.SECONDS)).isInstanceOf(SQLException.class);
        assertThat(count("owner = 'caller'")).isOne();
        assertThat(count("owner = 'member'")).isZero();
    }

    /**
     * The caller: a transaction that inserts, counts {@code wrote} down (it holds the lane now: the
     * member waits for it at its begin), and commits once the member waits, which hands the member
     * the lane and waits for the group. Returns null when it committed, else its error.
     */
    private Throwable callerCommits(CountDownLatch wrote) {
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(false);
            insert(connection, "caller");
            wrote.countDown();
            PoolFixtures.awaitLaneWaiters(pool, 1);
            connection.commit();
            connection.setAutoCommit(true);
            return null;
        } catch (SQLException e) {
            return e;
        }
    }

    private static void insert(Connection connection, String owner) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO t (owner) VALUES (?)")) {
            statement.setString(1, owner);
            statement.executeUpdate();
        }
    }

    private long count(String where) throws SQLException {
        try (Connection connection = pool.getConnection()) {
            return queryLong(connection, "SELECT count(*) FROM t WHERE " + where);
        }
    }
}

package io.github.sqlitepool.pool;

import static io.github.sqlitepool.pool.PoolFixtures.execute;
import static io.github.sqlitepool.pool.PoolFixtures.queryLong;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A group's holder runs the writes waiting for the lane on its own thread ({@link WriteBatch}),
 * whether an auto-commit write opened the group or a transaction did: their threads never take the lane, and each gets its own outcome, whatever
 * happens to it while it waits for the group (an interrupt, its acquire timeout passing, a
 * {@code cancel()}, its lease aborted). Groups form deterministically: a transaction holds the lane
 * until the writes wait, then rolls back, which hands the lane to the first of them.
 */
class WriteBatchTest {

    /** An insert that counts to twenty million first: seconds, long enough to act on its waiting caller meanwhile. */
    private static final String SLOW_INSERT = "INSERT INTO t (owner, n) SELECT ?, count(*) FROM (WITH RECURSIVE "
            + "c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 20000000) SELECT x FROM c)";

    @TempDir
    Path dir;

    private SqlitePool pool;

    private final ExecutorService threads = Executors.newCachedThreadPool();

    private final AtomicInteger laneAcquisitions = new AtomicInteger();

    /** Per ended group: its members (negative when it did not commit), and when it ended. */
    private final List<long[]> groups = new CopyOnWriteArrayList<>();

    private final PoolListener listener = new PoolListener() {
        @Override
        public void writeLaneAcquired(long waitNanos) {
            laneAcquisitions.incrementAndGet();
        }

        @Override
        public void groupCommitEnded(int members, boolean committed) {
            groups.add(new long[] {committed ? members : -members, System.nanoTime()});
        }
    };

    private void open(Duration acquireTimeout) throws SQLException {
        pool = new SqlitePool(PoolFixtures.config(dir, 8).acquireTimeout(acquireTimeout)
                .groupCommit(PoolFixtures.GROUP_WHENEVER_WAITING.withAutoCommitWrites(true)).build());
        try (Connection connection = pool.getConnection()) {
            execute(connection, "CREATE TABLE t (id INTEGER PRIMARY KEY, owner TEXT UNIQUE, n INTEGER)");
        }
        pool.addListener(listener);
    }

    @AfterEach
    void close() throws InterruptedException {
        threads.shutdownNow();
        assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).as("helper threads ended").isTrue();
        if (pool != null) {
            pool.close();
        }
    }

    /** What one writer's thread saw: its update count (or -1), its error, its interrupt flag, its thread, its statement. */
    private static final class Writer {
        final String owner;
        final String sql;
        final AtomicReference<Thread> thread = new AtomicReference<>();
        final AtomicReference<PreparedStatement> statement = new AtomicReference<>();
        final AtomicReference<Connection> connection = new AtomicReference<>();
        volatile int updated = -1;
        volatile long key = -1;
        volatile Throwable failure;
        volatile boolean interruptedAfter;
        volatile long returnedAtNanos;

        Writer(String owner, String sql) {
            this.owner = owner;
            this.sql = sql;
        }
    }

    private static Writer insert(String owner) {
        return new Writer(owner, "INSERT INTO t (owner, n) VALUES (?, 1)");
    }

    private static Writer slowInsert(String owner) {
        return new Writer(owner, SLOW_INSERT);
    }

    private Future<?> start(Writer writer) {
        return threads.submit(() -> {
            writer.thread.set(Thread.currentThread());
            try (Connection connection = pool.getConnection();
                    PreparedStatement statement = connection.prepareStatement(writer.sql)) {
                writer.connection.set(connection);
                writer.statement.set(statement);
                statement.setString(1, writer.owner);
                try {
                    writer.updated = statement.executeUpdate();
                } finally {
                    writer.returnedAtNanos = System.nanoTime();
                    writer.interruptedAfter = Thread.interrupted();
                }
                if (!connection.isClosed()) {
                    try (ResultSet keys = statement.getGeneratedKeys()) {
                        writer.key = keys.next() ? keys.getLong(1) : -1;
                    }
                }
            } catch (SQLException e) {
                writer.failure = e;
            }
            return null;
        });
    }

    /**
     * Holds the lane with a transaction that wrote until {@code writers} wait for it, in this order,
     * then rolls it back: the lane goes to the first, whose write opens a group that takes the
     * others. {@code whileWaiting} runs once they all wait, before the rollback.
     */
    private List<Future<?>> whileTheLaneIsHeld(List<Writer> writers, Runnable whileWaiting) throws Exception {
        List<Future<?>> running = new ArrayList<>();
        try (Connection holder = pool.getConnection()) {
            holder.setAutoCommit(false);
            execute(holder, "INSERT INTO t (owner, n) VALUES ('holder', 0)");
            long firstWaiting = 0;
            for (Writer writer : writers) {
                running.add(start(writer));
                PoolFixtures.awaitLaneWaiters(pool, running.size()); // one by one: the group takes them in this order
                if (running.size() == 1) {
                    firstWaiting = System.nanoTime();
                }
            }
            long since = firstWaiting;
            // past the barge bound, a release serves the longest waiter first (LaneQueue)
            Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1))
                    .until(() -> System.nanoTime() - since > 2 * LaneQueue.DEFAULT_BARGE_NANOS);
            whileWaiting.run();
            holder.rollback();
            holder.setAutoCommit(true);
        }
        return running;
    }

    /** JDBC work run where a {@code Runnable} is asked for. */
    private interface SqlAction {
        void run() throws SQLException;
    }

    private static Runnable unchecked(SqlAction action) {
        return () -> {
            try {
                action.run();
            } catch (SQLException e) {
                throw new AssertionError(e);
            }
        };
    }

    private static void awaitAll(List<Future<?>> running) throws Exception {
        for (Future<?> future : running) {
            future.get(60, TimeUnit.SECONDS);
        }
    }

    /** Only {@code middle}'s write failed and is absent; the group that formed had {@code members}. */
    private void assertOnlyTheMiddleWriteFailed(Writer opener, Writer middle, Writer after, int members)
            throws SQLException {
        assertThat(middle.failure).as(middle.owner).isInstanceOf(SQLException.class);
        assertThat(count(middle.owner)).isZero();
        assertThat(opener.failure).isNull();
        assertThat(after.failure).isNull();
        assertThat(count("opener")).isEqualTo(1);
        assertThat(count("after")).isEqualTo(1);
        assertThat(groups).hasSize(1);
        assertThat(groups.get(0)[0]).as("members of the group").isEqualTo(members);
    }

    private long count(String owner) throws SQLException {
        try (Connection connection = pool.getConnection()) {
            return queryLong(connection, "SELECT count(*) FROM t WHERE owner = '" + owner + "'");
        }
    }

    private long idOf(String owner) throws SQLException {
        try (Connection connection = pool.getConnection()) {
            return queryLong(connection, "SELECT id FROM t WHERE owner = '" + owner + "'");
        }
    }

    /** Every connection of the pool, the one a close took back or a group ran on included, writes and commits. */
    private void assertEveryConnectionWritesAndCommits() throws SQLException {
        for (int i = 0; i < 8; i++) {
            try (Connection next = pool.getConnection()) {
                next.setAutoCommit(false);
                execute(next, "INSERT INTO t (owner, n) VALUES ('next" + i + "', 1)");
                next.commit();
            }
        }
        try (Connection connection = pool.getConnection()) {
            assertThat(queryLong(connection, "SELECT count(*) FROM t WHERE owner LIKE 'next%'")).isEqualTo(8);
        }
    }

    /** Waits until the write of a writer that waited for the lane was taken by the group: none waits any more. */
    private void awaitTaken() {
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1))
                .until(() -> pool.writeLaneStats().waiting() == 0);
    }

    @Test
    void theWaitingWritesRunOnTheOpenersThreadWithoutTakingTheLaneEachWithItsOwnKey() throws Exception {
        open(Duration.ofSeconds(5));
        List<Writer> writers = List.of(insert("opener"), insert("a"), insert("b"), insert("c"));
        laneAcquisitions.set(0);
        awaitAll(whileTheLaneIsHeld(writers, () -> { }));

        assertThat(groups).hasSize(1);
        assertThat(groups.get(0)[0]).as("the opener and the three writes it ran").isEqualTo(4);
        assertThat(laneAcquisitions.get()).as("the holder's and the opener's: the writes it ran never took the lane")
                .isEqualTo(2);
        for (Writer writer : writers) {
            assertThat(writer.failure).as(writer.owner).isNull();
            assertThat(writer.updated).as(writer.owner).isEqualTo(1);
            assertThat(writer.key).as("%s's key names its own row", writer.owner).isEqualTo(idOf(writer.owner));
        }
    }

    @Test
    void aTransactionsGroupRunsTheWaitingWritesOnTheThreadThatHoldsItAndHandsTheLaneOnlyToTransactions()
            throws Exception {
        open(Duration.ofSeconds(5));
        Writer a = insert("a");
        Writer b = insert("b");
        Writer c = insert("c");
        CountDownLatch holderWrote = new CountDownLatch(1);
        CountDownLatch commitHolder = new CountDownLatch(1);
        CountDownLatch memberWrote = new CountDownLatch(1);
        CountDownLatch commitMember = new CountDownLatch(1);
        List<Future<?>> running = new ArrayList<>();
        laneAcquisitions.set(0);
        running.add(threads.submit(() -> transaction("holder", holderWrote, commitHolder)));
        assertThat(holderWrote.await(10, TimeUnit.SECONDS)).isTrue();
        running.add(start(a));
        running.add(start(b));
        PoolFixtures.awaitLaneWaiters(pool, 2);
        // after the writes: however long it waits, it is no older than they are (the next test)
        running.add(threads.submit(() -> transaction("member", memberWrote, commitMember))); // waits at its begin
        PoolFixtures.awaitLaneWaiters(pool, 3);

        commitHolder.countDown(); // runs a and b itself, then hands the lane to the member
        assertThat(memberWrote.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(pool.writeLaneStats().waiting()).as("a and b were taken, not handed the lane").isZero();
        running.add(start(c)); // arrives while the member runs in the group
        PoolFixtures.awaitLaneWaiters(pool, 1);
        commitMember.countDown(); // the member's end runs c, then commits the group: none else waits
        awaitAll(running);

        assertThat(groups).hasSize(1);
        assertThat(groups.get(0)[0]).as("holder, a, b, member, c: one COMMIT").isEqualTo(5);
        assertThat(laneAcquisitions.get()).as("the holder's and the member's: the writes never took the lane")
                .isEqualTo(2);
        for (Writer writer : List.of(a, b, c)) {
            assertThat(writer.failure).as(writer.owner).isNull();
            assertThat(writer.updated).as(writer.owner).isEqualTo(1);
            assertThat(writer.key).as("%s's key names its own row", writer.owner).isEqualTo(idOf(writer.owner));
        }
        assertThat(count("holder")).isEqualTo(1);
        assertThat(count("member")).isEqualTo(1);
    }

    @Test
    void aWriteThatFailsInATransactionsGroupFailsAloneAndTheTransactionsCommit() throws Exception {
        open(Duration.ofSeconds(5));
        try (Connection connection = pool.getConnection()) {
            execute(connection, "INSERT INTO t (owner, n) VALUES ('taken', 0)");
        }
        Writer duplicate = insert("taken");
        Writer after = insert("after");
        CountDownLatch holderWrote = new CountDownLatch(1);
        CountDownLatch commitHolder = new CountDownLatch(1);
        List<Future<?>> running = new ArrayList<>();
        Future<?> holder = threads.submit(() -> transaction("holder", holderWrote, commitHolder));
        assertThat(holderWrote.await(10, TimeUnit.SECONDS)).isTrue();
        running.add(start(duplicate));
        PoolFixtures.awaitLaneWaiters(pool, 1);
        running.add(start(after));
        PoolFixtures.awaitLaneWaiters(pool, 2);
        commitHolder.countDown();
        holder.get(60, TimeUnit.SECONDS); // its commit succeeded, or this throws
        awaitAll(running);

        assertThat(duplicate.failure).hasMessageContaining("UNIQUE");
        assertThat(after.failure).isNull();
        assertThat(after.key).isEqualTo(idOf("after"));
        assertThat(count("holder")).isEqualTo(1);
        assertThat(count("taken")).as("the earlier row only").isEqualTo(1);
        assertThat(groups).hasSize(1);
        assertThat(groups.get(0)[0]).as("holder and both writes, committed").isEqualTo(3);
    }

    @Test
    void aTransactionPassedOverPastTheFairnessBoundGoesBeforeTheWritesThatCameAfterIt() throws Exception {
        open(Duration.ofSeconds(5));
        Writer a = insert("a");
        Writer b = insert("b");
        CountDownLatch holderWrote = new CountDownLatch(1);
        CountDownLatch commitHolder = new CountDownLatch(1);
        CountDownLatch memberWrote = new CountDownLatch(1);
        List<Future<?>> running = new ArrayList<>();
        running.add(threads.submit(() -> transaction("holder", holderWrote, commitHolder)));
        assertThat(holderWrote.await(10, TimeUnit.SECONDS)).isTrue();
        running.add(threads.submit(() -> transaction("member", memberWrote, new CountDownLatch(0))));
        PoolFixtures.awaitLaneWaiters(pool, 1);
        long memberSince = System.nanoTime(); // it waits from before now: past the bound below for sure
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1))
                .until(() -> System.nanoTime() - memberSince > 2 * LaneQueue.DEFAULT_BARGE_NANOS);
        running.add(start(a));
        running.add(start(b));
        PoolFixtures.awaitLaneWaiters(pool, 3);
        commitHolder.countDown();
        awaitAll(running);

        assertThat(groups).hasSize(1);
        assertThat(groups.get(0)[0]).as("holder, member, a, b: one COMMIT").isEqualTo(4);
        assertThat(idOf("member")).as("the member went first, then its end ran the writes")
                .isLessThan(idOf("a")).isLessThan(idOf("b"));
        assertThat(a.failure).isNull();
        assertThat(b.failure).isNull();
    }

    @Test
    void closingATransactionsLeaseFromAnotherThreadWhileItsCommitRunsAWaitingWriteWaitsForTheGroup()
            throws Exception {
        open(Duration.ofSeconds(10));
        Writer slow = slowInsert("slow");
        CountDownLatch holderWrote = new CountDownLatch(1);
        CountDownLatch commitHolder = new CountDownLatch(1);
        AtomicReference<Connection> holderConnection = new AtomicReference<>();
        AtomicReference<Throwable> holderCommit = new AtomicReference<>();
        Future<?> holder = threads.submit(() -> transaction("holder", holderWrote, commitHolder, holderConnection,
                holderCommit));
        assertThat(holderWrote.await(10, TimeUnit.SECONDS)).isTrue();
        Future<?> writer = start(slow);
        PoolFixtures.awaitLaneWaiters(pool, 1);
        commitHolder.countDown(); // its commit takes the slow write and runs it on its connection
        awaitTaken();
        holderConnection.get().close(); // not an abort: the group goes on on the connection until it ends
        assertThat(count("slow")).as("the group committed before the close returned").isEqualTo(1);
        assertThat(count("holder")).isEqualTo(1);
        writer.get(60, TimeUnit.SECONDS);
        holder.get(60, TimeUnit.SECONDS);

        assertThat(slow.failure).isNull();
        assertThat(holderCommit.get()).as("the holder's commit").isNull();
        assertThat(groups).hasSize(1);
        assertThat(groups.get(0)[0]).isEqualTo(2);
        assertEveryConnectionWritesAndCommits();
        assertThat(count("holder")).isEqualTo(1);
    }

    @Test
    void closingAMembersLeaseFromAnotherThreadWhileItsEndRunsAWaitingWriteWaitsForIt() throws Exception {
        open(Duration.ofSeconds(10));
        Writer slow = slowInsert("slow");
        CountDownLatch holderWrote = new CountDownLatch(1);
        CountDownLatch commitHolder = new CountDownLatch(1);
        CountDownLatch memberWrote = new CountDownLatch(1);
        CountDownLatch commitMember = new CountDownLatch(1);
        AtomicReference<Connection> memberConnection = new AtomicReference<>();
        AtomicReference<Throwable> memberCommit = new AtomicReference<>();
        List<Future<?>> running = new ArrayList<>();
        running.add(threads.submit(() -> transaction("holder", holderWrote, commitHolder)));
        assertThat(holderWrote.await(10, TimeUnit.SECONDS)).isTrue();
        running.add(threads.submit(() -> transaction("member", memberWrote, commitMember, memberConnection,
                memberCommit))); // its commit's end runs the slow write on the group's connection, then commits
        PoolFixtures.awaitLaneWaiters(pool, 1);
        commitHolder.countDown();
        assertThat(memberWrote.await(10, TimeUnit.SECONDS)).isTrue();
        running.add(start(slow));
        PoolFixtures.awaitLaneWaiters(pool, 1);
        commitMember.countDown();
        awaitTaken();
        memberConnection.get().close(); // its lease is on the group's connection until its part ends
        assertThat(count("slow")).as("the group committed before the close returned").isEqualTo(1);
        assertThat(count("member")).isEqualTo(1);
        assertThat(count("holder")).isEqualTo(1);
        awaitAll(running);

        assertThat(slow.failure).isNull();
        assertThat(memberCommit.get()).as("the member's commit").isNull();
        assertThat(groups).hasSize(1);
        assertThat(groups.get(0)[0]).as("holder, member, slow").isEqualTo(3);
        assertEveryConnectionWritesAndCommits();
    }

    @Test
    void closingAMemberWhoseCommitWaitsForTheRestOfItsGroupDoesNotWaitForTheOthersWork() throws Exception {
        open(Duration.ofSeconds(10));
        CountDownLatch holderWrote = new CountDownLatch(1);
        CountDownLatch commitHolder = new CountDownLatch(1);
        CountDownLatch memberWrote = new CountDownLatch(1);
        CountDownLatch laterWrote = new CountDownLatch(1);
        CountDownLatch commitLater = new CountDownLatch(1);
        AtomicReference<Connection> memberConnection = new AtomicReference<>();
        List<Future<?>> running = new ArrayList<>();
        running.add(threads.submit(() -> transaction("holder", holderWrote, commitHolder)));
        assertThat(holderWrote.await(10, TimeUnit.SECONDS)).isTrue();
        AtomicReference<Throwable> memberCommit = new AtomicReference<>();
        running.add(threads.submit(() -> transaction("member", memberWrote, new CountDownLatch(0), memberConnection,
                memberCommit))); // hands the lane to the later transaction, then waits for the group
        PoolFixtures.awaitLaneWaiters(pool, 1);
        running.add(threads.submit(() -> transaction("later", laterWrote, commitLater)));
        PoolFixtures.awaitLaneWaiters(pool, 2);
        commitHolder.countDown();
        assertThat(memberWrote.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(laterWrote.await(10, TimeUnit.SECONDS)).as("the member handed the lane on").isTrue();

        Future<?> close = threads.submit(() -> {
            memberConnection.get().close(); // its part has ended: only its commit's wait for the group goes on
            return null;
        });
        close.get(10, TimeUnit.SECONDS); // before the later transaction commits: it waits for nothing of the group
        commitLater.countDown();
        awaitAll(running);

        assertThat(groups).hasSize(1);
        assertThat(memberCommit.get()).as("the member's commit").isNull();
        assertThat(groups.get(0)[0]).as("holder, member, later: one COMMIT").isEqualTo(3);
        assertThat(count("member")).isEqualTo(1);
        assertThat(count("later")).isEqualTo(1);
        assertEveryConnectionWritesAndCommits();
    }

    /**
     * A JDBC transaction of {@code owner}'s row: begins, inserts, says so through {@code wrote},
     * waits for {@code commit}, commits. Any failure fails the task.
     */
    private Void transaction(String owner, CountDownLatch wrote, CountDownLatch commit) throws Exception {
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        transaction(owner, wrote, commit, new AtomicReference<>(), outcome);
        if (outcome.get() != null) {
            throw new AssertionError(owner + "'s commit failed", outcome.get());
        }
        return null;
    }

    /**
     * As above, publishing its connection through {@code connectionOut} (for another thread to
     * close) and its commit's error through {@code commitOutcome} (null when it committed).
     */
    private Void transaction(String owner, CountDownLatch wrote, CountDownLatch commit,
            AtomicReference<Connection> connectionOut, AtomicReference<Throwable> commitOutcome) throws Exception {
        try (Connection connection = pool.getConnection()) {
            connectionOut.set(connection);
            connection.setAutoCommit(false); // waits at its begin while another transaction holds the lane
            execute(connection, "INSERT INTO t (owner, n) VALUES ('" + owner + "', 1)");
            wrote.countDown();
            assertThat(commit.await(30, TimeUnit.SECONDS)).as("%s told to commit", owner).isTrue();
            try {
                connection.commit(); // returns once its group has ended, however the lease was closed meanwhile
            } catch (SQLException e) {
                commitOutcome.set(e);
                return null;
            }
            if (!connection.isClosed()) {
                connection.setAutoCommit(true);
            }
        }
        return null;
    }

    @Test
    void aWriterInterruptedWhileTheGroupRunsItsWriteGetsItsOutcomeWithTheFlagSetAsOnThePlainDriver() throws Exception {
        open(Duration.ofSeconds(5));
        Writer opener = insert("opener");
        Writer slow = slowInsert("slow");
        List<Future<?>> running = whileTheLaneIsHeld(List.of(opener, slow), () -> { });
        awaitTaken();
        long interruptedAt = System.nanoTime();
        slow.thread.get().interrupt();
        awaitAll(running);

        assertThat(groups).hasSize(1);
        assertThat(interruptedAt).as("interrupted before the group ended").isLessThan(groups.get(0)[1]);
        assertThat(slow.failure).isNull();
        assertThat(slow.updated).isEqualTo(1);
        assertThat(slow.interruptedAfter).as("the interrupt is kept for the caller, as sqlite-jdbc keeps it").isTrue();
        assertThat(count("slow")).isEqualTo(1);
    }

    @Test
    void aWriteWhoseAcquireTimeoutPassesWhileTheGroupRunsItSucceeds() throws Exception {
        // long enough for the opener to get the lane on a loaded machine; the write lasts several times longer
        Duration acquireTimeout = Duration.ofSeconds(1);
        open(acquireTimeout);
        Writer opener = insert("opener");
        Writer slow = new Writer("slow", SLOW_INSERT.replace("20000000", "60000000"));
        long start = System.nanoTime();
        awaitAll(whileTheLaneIsHeld(List.of(opener, slow), () -> { }));

        assertThat(groups).hasSize(1);
        assertThat(groups.get(0)[0]).as("the opener ran the slow write in its group").isEqualTo(2);
        assertThat(opener.failure).isNull();
        assertThat(slow.returnedAtNanos - start).as("the write outlasted its acquire timeout")
                .isGreaterThan(2 * acquireTimeout.toNanos());
        assertThat(slow.failure).as("a write the group took does not time out").isNull();
        assertThat(slow.updated).isEqualTo(1);
        assertThat(count("slow")).isEqualTo(1);
    }

    @Test
    void aWriteCancelledWhileItWaitsRunsNoSqlAndTheOthersCommit() throws Exception {
        open(Duration.ofSeconds(5));
        Writer opener = insert("opener");
        Writer cancelled = insert("cancelled");
        Writer after = insert("after");
        awaitAll(whileTheLaneIsHeld(List.of(opener, cancelled, after),
                unchecked(() -> cancelled.statement.get().cancel())));

        // the group took the cancelled write, which ran nothing
        assertOnlyTheMiddleWriteFailed(opener, cancelled, after, 3);
    }

    @Test
    void aLeaseAbortedWhileItsWriteWaitsIsNotWrittenByTheGroup() throws Exception {
        open(Duration.ofSeconds(5));
        Writer opener = insert("opener");
        Writer aborted = insert("aborted");
        Writer after = insert("after");
        awaitAll(whileTheLaneIsHeld(List.of(opener, aborted, after),
                unchecked(() -> aborted.connection.get().abort(Runnable::run))));

        assertOnlyTheMiddleWriteFailed(opener, aborted, after, 2); // its statement was closed with its lease
    }

    @Test
    void aLeaseAbortedWhileTheGroupRunsItsWriteEndsOnceTheGroupHasEnded() throws Exception {
        open(Duration.ofSeconds(5));
        Writer opener = insert("opener");
        Writer slow = slowInsert("slow");
        List<Future<?>> running = whileTheLaneIsHeld(List.of(opener, slow), () -> { });
        awaitTaken();
        slow.connection.get().abort(Runnable::run); // settles: waits for the group running its write
        assertThat(count("slow")).as("committed by the group before the abort returned").isEqualTo(1);
        awaitAll(running);

        assertThat(groups).hasSize(1);
        assertThat(slow.failure).as("its write ran in the group, which committed").isNull();
        try (Connection next = pool.getConnection()) { // the pool goes on with a replaced connection
            execute(next, "INSERT INTO t (owner, n) VALUES ('next', 1)");
        }
        assertThat(count("next")).isEqualTo(1);
    }

    @Test
    void abortingTheGroupsHolderMidGroupFailsItsWritesCommitsNothingOfItAndTheWriteAfterRunsAlone() throws Exception {
        open(Duration.ofSeconds(10));
        Writer opener = insert("opener");
        Writer slow = slowInsert("slow");
        Writer after = insert("after");
        List<Future<?>> running = whileTheLaneIsHeld(List.of(opener, slow, after), () -> { });
        // the opener took the lane and then the slow write; "after" still waits
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1))
                .until(() -> pool.writeLaneStats().waiting() == 1);
        opener.connection.get().abort(Runnable::run); // stops SQLite on the group's connection, and closes it
        awaitAll(running);

        assertThat(opener.failure).as("the holder's own write was in the group").isInstanceOf(SQLException.class);
        assertThat(slow.failure).as("stopped while it ran").isInstanceOf(SQLException.class);
        assertThat(count("opener")).isZero();
        assertThat(count("slow")).isZero();
        assertThat(after.failure).as("not taken by the aborted group: it ran on its own").isNull();
        assertThat(count("after")).isEqualTo(1);
        assertThat(groups).hasSize(1);
        assertThat(groups.get(0)[0]).as("the group did not commit").isNegative();
    }

    @Test
    void closingTheGroupsHolderFromAnotherThreadMidGroupWaitsForTheGroup() throws Exception {
        open(Duration.ofSeconds(10));
        Writer opener = insert("opener");
        Writer slow = slowInsert("slow");
        List<Future<?>> running = whileTheLaneIsHeld(List.of(opener, slow), () -> { });
        awaitTaken();
        opener.connection.get().close(); // not an abort: the group goes on on the connection until it ends
        assertThat(count("slow")).as("the group committed before the close returned").isEqualTo(1);
        assertThat(count("opener")).isEqualTo(1);
        awaitAll(running);

        assertThat(slow.failure).isNull();
        assertThat(opener.failure).as("its write committed with the group").isNull();
        assertThat(groups).hasSize(1);
        assertThat(groups.get(0)[0]).isEqualTo(2);
        assertEveryConnectionWritesAndCommits();
    }

    @Test
    void aLeaseClosedFromAnotherThreadWhileItsWriteWaitsNeverWritesOnTheConnectionItGaveBack() throws Exception {
        open(Duration.ofSeconds(5));
        Writer opener = insert("opener");
        Writer closed = insert("closed");
        Writer after = insert("after");
        awaitAll(whileTheLaneIsHeld(List.of(opener, closed, after), unchecked(() -> closed.connection.get().close())));

        assertOnlyTheMiddleWriteFailed(opener, closed, after, 2);
        assertThat(((SQLException) closed.failure).getSQLState()).as("refused once it got the lane").isEqualTo("08003");
    }
}

package io.github.sqlitepool.pool;

import static io.github.sqlitepool.pool.PoolFixtures.execute;
import static io.github.sqlitepool.pool.PoolFixtures.queryLong;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review of group commit (issue 15): a group whose member's lease is aborted from another thread,
 * or whose member never runs a statement, must still end; the leader's commit must return.
 */
class GroupCommitReviewTest {

    @TempDir
    Path dir;

    private SqlitePool pool;

    private ExecutorService threads;

    @BeforeEach
    void open() throws SQLException {
        pool = new SqlitePool(PoolFixtures.config(dir, 4)
                .groupCommit(PoolFixtures.GROUP_WHENEVER_WAITING).build());
        threads = Executors.newCachedThreadPool();
        try (Connection connection = pool.getConnection()) {
            execute(connection, "CREATE TABLE t (id INTEGER PRIMARY KEY, owner TEXT UNIQUE)");
        }
    }

    @AfterEach
    void close() throws InterruptedException {
        threads.shutdownNow();
        threads.awaitTermination(5, TimeUnit.SECONDS);
        pool.close();
    }

    private static void insert(Connection connection, String owner) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO t (owner) VALUES (?)")) {
            statement.setString(1, owner);
            statement.executeUpdate();
        }
    }

    private void awaitLaneWaiters(int count) {
        PoolFixtures.awaitLaneWaiters(pool, count);
    }

    /** Starts a leader that writes and commits once a member waits at its begin; returns its commit's outcome. */
    private Future<Throwable> leaderCommittingAfter(CountDownLatch memberWaits) throws InterruptedException {
        CountDownLatch wrote = new CountDownLatch(1);
        Future<Throwable> leader = threads.submit(() -> {
            try (Connection connection = pool.getConnection()) {
                connection.setAutoCommit(false);
                insert(connection, "leader");
                wrote.countDown();
                memberWaits.await();
                return PoolFixtures.commitOrRollBack(connection);
            }
        });
        assertThat(wrote.await(10, TimeUnit.SECONDS)).isTrue();
        return leader;
    }

    private void abortMemberAndCheckTheGroupEnds(boolean memberWritesFirst) throws Exception {
        CountDownLatch memberWaits = new CountDownLatch(1);
        Future<Throwable> leader = leaderCommittingAfter(memberWaits);
        AtomicReference<Connection> memberConnection = new AtomicReference<>();
        CountDownLatch memberInGroup = new CountDownLatch(1);
        CountDownLatch aborted = new CountDownLatch(1);
        Future<Throwable> member = threads.submit(() -> {
            Connection connection = pool.getConnection();
            memberConnection.set(connection);
            try {
                connection.setAutoCommit(false); // handed the lane by the leader's commit
                if (memberWritesFirst) {
                    insert(connection, "member");
                }
                memberInGroup.countDown();
                aborted.await();
                connection.commit(); // refused: the lease was aborted
                return null;
            } catch (SQLException e) {
                return e;
            } finally {
                connection.close();
            }
        });
        awaitLaneWaiters(1);
        memberWaits.countDown();
        assertThat(memberInGroup.await(10, TimeUnit.SECONDS)).as("the member was handed the lane").isTrue();
        memberConnection.get().abort(Runnable::run); // e.g. an operator's or a framework's timeout
        aborted.countDown();
        assertThat(member.get(10, TimeUnit.SECONDS)).as("the aborted member's commit is refused").isNotNull();

        Throwable leaderOutcome;
        try {
            leaderOutcome = leader.get(10, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the leader's commit() never returned: the group of an aborted member never ended ("
                    + pool.writeLaneStats() + ")");
        }
        // whatever the leader was told, a new writer must be able to write, and what it was told must be true
        try (Connection connection = pool.getConnection()) {
            insert(connection, "after");
            long leaderRows = queryLong(connection, "SELECT count(*) FROM t WHERE owner = 'leader'");
            assertThat(leaderRows).isEqualTo(leaderOutcome == null ? 1 : 0);
            assertThat(queryLong(connection, "SELECT count(*) FROM t WHERE owner = 'member'")).isZero();
        }
    }

    @Test
    void aMemberAbortedFromAnotherThreadAfterItsFirstStatementEndsItsGroup() throws Exception {
        abortMemberAndCheckTheGroupEnds(true);
    }

    @Test
    void aMemberAbortedFromAnotherThreadBeforeItsFirstStatementEndsItsGroup() throws Exception {
        abortMemberAndCheckTheGroupEnds(false);
    }

    /**
     * Without group commit a transaction that has begun and run nothing holds the lane revocably:
     * the leader commits at once and other writers take the lane after the revocation bound. With
     * group commit it is handed the lane firmly, and the leader's commit waits for it.
     */
    @Test
    void aMemberThatRunsNothingForAWhileDoesNotHoldTheLeadersCommit() throws Exception {
        CountDownLatch memberWaits = new CountDownLatch(1);
        Future<Throwable> leader = leaderCommittingAfter(memberWaits);
        CountDownLatch memberBegun = new CountDownLatch(1);
        CountDownLatch leaderDone = new CountDownLatch(1);
        Future<Throwable> member = memberRunningNothingUntil(memberBegun, leaderDone); // a remote call, say
        awaitLaneWaiters(1);
        memberWaits.countDown();
        assertThat(memberBegun.await(10, TimeUnit.SECONDS)).isTrue();
        try {
            assertThat(leader.get(5, TimeUnit.SECONDS)).isNull();
        } catch (TimeoutException e) {
            throw new AssertionError("the leader's commit() waits for a member that has not run a statement ("
                    + pool.writeLaneStats() + ")");
        } finally {
            leaderDone.countDown();
            member.get(20, TimeUnit.SECONDS);
        }
    }

    /**
     * Regression: a member evicted before its first statement (the group committed without it)
     * still found the lane's hold under its own token until the evicting thread let it go, and
     * wrote under it, on its own connection, while the lane was about to go to another writer:
     * found as an occasional SQLITE_BUSY under load. The evicting thread is held, by a listener,
     * between the group's COMMIT and the lane's release; the member's write must wait for the lane.
     */
    @Test
    void aMemberEvictedBeforeItsFirstStatementWaitsForTheLaneInsteadOfWritingUnderTheGroupsHold()
            throws Exception {
        CountDownLatch groupEnded = new CountDownLatch(1);
        CountDownLatch evictorMayGoOn = new CountDownLatch(1);
        pool.addListener(new PoolListener() {
            @Override
            public void groupCommitEnded(int members, boolean committed) {
                groupEnded.countDown();
                try {
                    evictorMayGoOn.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        CountDownLatch memberWaits = new CountDownLatch(1);
        Future<Throwable> leader = leaderCommittingAfter(memberWaits);
        CountDownLatch memberBegun = new CountDownLatch(1);
        Future<Throwable> member = memberRunningNothingUntil(memberBegun, groupEnded); // the group went on without it
        awaitLaneWaiters(1);
        memberWaits.countDown();
        assertThat(memberBegun.await(10, TimeUnit.SECONDS)).isTrue();
        try {
            assertThat(groupEnded.await(10, TimeUnit.SECONDS)).as("the leader's wait evicted the member").isTrue();
            await().atMost(Duration.ofSeconds(10)).failFast("the member wrote under the evicted hold", member::isDone)
                    .until(() -> pool.writeLaneStats().waiting() == 1);
        } finally {
            evictorMayGoOn.countDown();
        }
        assertThat(leader.get(20, TimeUnit.SECONDS)).isNull();
        assertThat(member.get(20, TimeUnit.SECONDS)).isNull();
        try (Connection connection = pool.getConnection()) {
            assertThat(queryLong(connection, "SELECT count(*) FROM t")).isEqualTo(2);
        }
        assertThat(pool.writeLaneStats().holderThread()).isNull();
    }

    /**
     * Starts a member that begins its transaction (waiting at its begin), counts {@code begun} down,
     * runs nothing until {@code goOn} opens, then inserts and commits; returns its outcome.
     */
    private Future<Throwable> memberRunningNothingUntil(CountDownLatch begun, CountDownLatch goOn) {
        return threads.submit(() -> {
            try (Connection connection = pool.getConnection()) {
                connection.setAutoCommit(false);
                begun.countDown();
                goOn.await(20, TimeUnit.SECONDS);
                insert(connection, "member");
                connection.commit();
                connection.setAutoCommit(true);
                return null;
            } catch (SQLException e) {
                return e;
            }
        });
    }

    /** Runs {@code leader}'s write, then {@code members} as one group behind it; returns [leader, members...] outcomes. */
    private java.util.List<Throwable> group(java.util.List<Work> members) throws Exception {
        CountDownLatch membersWait = new CountDownLatch(1);
        Future<Throwable> leader = leaderCommittingAfter(membersWait);
        java.util.List<Future<Throwable>> outcomes = new java.util.ArrayList<>();
        for (Work member : members) {
            outcomes.add(threads.submit(() -> {
                try (Connection connection = pool.getConnection()) {
                    return PoolFixtures.inTransaction(connection, member::run);
                }
            }));
            awaitLaneWaiters(outcomes.size());
        }
        membersWait.countDown();
        java.util.List<Throwable> results = new java.util.ArrayList<>();
        try {
            results.add(leader.get(10, TimeUnit.SECONDS));
            for (Future<Throwable> outcome : outcomes) {
                results.add(outcome.get(10, TimeUnit.SECONDS));
            }
        } catch (TimeoutException e) {
            throw new AssertionError("a commit of the group never returned (" + pool.writeLaneStats() + ")");
        }
        return results;
    }

    private interface Work {
        void run(Connection connection) throws SQLException;
    }

    /**
     * A member that keeps an {@code INSERT ... RETURNING} result open at its commit: alone, only its
     * own commit would fail (SQLite refuses a COMMIT while a write statement is in progress). In a
     * group, the members before it, and the leader, must keep their own outcome.
     */
    @Test
    void aMemberKeepingAReturningResultOpenDoesNotFailTheOthers() throws Exception {
        Work plain = connection -> insert(connection, "m1");
        Work keepsReturning = connection -> {
            PreparedStatement statement = connection.prepareStatement("INSERT INTO t (owner) VALUES ('m2') RETURNING id");
            java.sql.ResultSet rows = statement.executeQuery(); // kept open, past the commit
            assertThat(rows.next()).isTrue();
        };
        java.util.List<Throwable> outcomes = group(java.util.List.of(plain, keepsReturning));
        assertThat(outcomes.get(0)).as("the leader's commit").isNull();
        assertThat(outcomes.get(1)).as("m1's commit").isNull();
        try (Connection connection = pool.getConnection()) {
            assertThat(queryLong(connection, "SELECT count(*) FROM t WHERE owner IN ('leader', 'm1')")).isEqualTo(2);
        }
    }

    /**
     * As alone, a {@code commit()} refused for a write result left open leaves the transaction open,
     * and in its group: the member closes the result and commits, and everyone's work is committed
     * once, with the lane never given away in between.
     */
    @Test
    void aMemberWhoseCommitWasRefusedForAnOpenResultStaysInItsGroupAndCommitsAfterClosingIt() throws Exception {
        Work plain = connection -> insert(connection, "m1");
        Work closesThenCommits = connection -> {
            PreparedStatement statement = connection.prepareStatement("INSERT INTO t (owner) VALUES ('m2') RETURNING id");
            java.sql.ResultSet rows = statement.executeQuery();
            assertThat(rows.next()).isTrue();
            assertThatThrownBy(connection::commit).isInstanceOf(SQLException.class)
                    .hasMessageContaining("still has a write result open");
            rows.close();
            statement.close();
            insert(connection, "m2-after"); // its transaction goes on, as alone
        };
        java.util.List<Throwable> outcomes = group(java.util.List.of(plain, closesThenCommits, c -> insert(c, "m3")));

        assertThat(outcomes).containsOnlyNulls();
        try (Connection connection = pool.getConnection()) {
            assertThat(queryLong(connection, "SELECT count(*) FROM t WHERE owner IN ('leader', 'm1', 'm2', 'm2-after', 'm3')"))
                    .isEqualTo(5);
        }
    }

    /** A listener that throws must not leave the group's callers waiting forever. */
    @Test
    void aListenerThatThrowsDoesNotLeaveTheGroupWaiting() throws Exception {
        pool.addListener(new PoolListener() {
            @Override
            public void groupCommitEnded(int members, boolean committed) {
                throw new IllegalStateException("a listener's bug");
            }
        });
        java.util.List<Throwable> outcomes = group(java.util.List.of(connection -> insert(connection, "m1")));
        assertThat(outcomes).hasSize(2);
    }

    /**
     * The leader's lease is closed from another thread while its commit() waits for the group (the
     * window is the whole group): its connection, the group's, must not be rolled back and pooled
     * under the member running on it; the member's outcome must be what it was told.
     */
    @Test
    void theLeaderClosedFromAnotherThreadWhileItsGroupRunsLeavesEachOutcomeTrue() throws Exception {
        AtomicReference<Connection> leaderConnection = new AtomicReference<>();
        CountDownLatch memberWaits = new CountDownLatch(1);
        CountDownLatch leaderWrote = new CountDownLatch(1);
        Future<Throwable> leader = threads.submit(() -> {
            Connection connection = pool.getConnection();
            leaderConnection.set(connection);
            try {
                connection.setAutoCommit(false);
                insert(connection, "leader");
                leaderWrote.countDown();
                memberWaits.await();
                connection.commit();
                return null;
            } catch (SQLException e) {
                return e;
            } finally {
                connection.close();
            }
        });
        assertThat(leaderWrote.await(10, TimeUnit.SECONDS)).isTrue();
        CountDownLatch memberEntered = new CountDownLatch(1);
        CountDownLatch leaderClosed = new CountDownLatch(1);
        Future<Throwable> member = threads.submit(() -> {
            try (Connection connection = pool.getConnection()) {
                return PoolFixtures.inTransaction(connection, c -> {
                    insert(c, "m-1");
                    memberEntered.countDown();
                    leaderClosed.await();
                    insert(c, "m-2");
                });
            }
        });
        awaitLaneWaiters(1);
        memberWaits.countDown();
        assertThat(memberEntered.await(10, TimeUnit.SECONDS)).isTrue();
        // from another thread, while the leader's commit() waits: the close waits for the group to end
        java.util.concurrent.CompletableFuture<Void> closing = java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
                leaderConnection.get().close();
            } catch (SQLException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        leaderClosed.countDown();
        Throwable memberOutcome;
        try {
            memberOutcome = member.get(10, TimeUnit.SECONDS);
            leader.get(10, TimeUnit.SECONDS);
            closing.get(10, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("a commit never returned (" + pool.writeLaneStats() + ")");
        }
        try (Connection connection = pool.getConnection()) {
            long memberRows = queryLong(connection, "SELECT count(*) FROM t WHERE owner IN ('m-1', 'm-2')");
            assertThat(memberRows).as("the member's rows; its outcome was " + memberOutcome)
                    .isEqualTo(memberOutcome == null ? 2 : 0);
        }
        // every pooled connection is out of any transaction: a write from each commits
        java.util.List<Connection> all = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                Connection connection = pool.getConnection();
                all.add(connection);
                assertThat(connection.getAutoCommit()).isTrue();
                insert(connection, "after-" + i);
            }
        } finally {
            for (Connection connection : all) {
                connection.close();
            }
        }
        try (Connection connection = pool.getConnection()) {
            assertThat(queryLong(connection, "SELECT count(*) FROM t WHERE owner LIKE 'after-%'")).isEqualTo(4);
        }
    }

    /**
     * A member that creates a temporary table keeps the group's connection and the leader takes the
     * member's; when the member's lease is closed without commit or rollback, that exchange happens
     * inside the pool's take-back, which must give back the connection the member ends with, not the
     * one the leader now uses.
     */
    @Test
    void aMemberClosedWithATempTableDoesNotPoolTheLeadersConnection() throws Exception {
        CountDownLatch memberWaits = new CountDownLatch(1);
        CountDownLatch leaderWrote = new CountDownLatch(1);
        CountDownLatch checked = new CountDownLatch(1);
        AtomicReference<Object> leaderRaw = new AtomicReference<>();
        Future<Throwable> leader = threads.submit(() -> {
            try (Connection connection = pool.getConnection()) {
                connection.setAutoCommit(false);
                insert(connection, "leader");
                leaderWrote.countDown();
                memberWaits.await();
                Throwable result = null;
                try {
                    connection.commit();
                } catch (SQLException e) {
                    result = e;
                    connection.rollback();
                }
                connection.setAutoCommit(true);
                leaderRaw.set(connection.unwrap(org.sqlite.SQLiteConnection.class));
                checked.await(15, TimeUnit.SECONDS); // the leader's lease stays open meanwhile
                return result;
            }
        });
        assertThat(leaderWrote.await(10, TimeUnit.SECONDS)).isTrue();
        Future<Throwable> member = threads.submit(() -> {
            Connection connection = pool.getConnection();
            try {
                connection.setAutoCommit(false);
                insert(connection, "member");
                try (java.sql.Statement statement = connection.createStatement()) {
                    statement.execute("CREATE TEMP TABLE scratch (x)");
                }
                return null;
            } catch (SQLException e) {
                return e;
            } finally {
                connection.close(); // neither committed nor rolled back
            }
        });
        awaitLaneWaiters(1);
        memberWaits.countDown();
        assertThat(member.get(10, TimeUnit.SECONDS)).isNull();
        await().alias("the leader's commit returned").atMost(Duration.ofSeconds(10)).until(() -> leaderRaw.get() != null);
        java.util.List<Connection> others = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) { // the pool's other three connections
                Connection other = pool.getConnection();
                others.add(other);
                assertThat(other.unwrap(org.sqlite.SQLiteConnection.class))
                        .as("a connection leased while the leader's lease still uses it").isNotSameAs(leaderRaw.get());
            }
        } finally {
            checked.countDown();
            for (Connection other : others) {
                other.close();
            }
        }
        leader.get(10, TimeUnit.SECONDS);
    }

    /** A member closed with a failed statement still open: its lease's close must end the group. */
    @Test
    void aMemberClosedWithAFailedStatementOpenEndsItsGroup() throws Exception {
        CountDownLatch memberWaits = new CountDownLatch(1);
        Future<Throwable> leader = leaderCommittingAfter(memberWaits);
        Future<Throwable> member = threads.submit(() -> {
            Connection connection = pool.getConnection();
            try {
                connection.setAutoCommit(false);
                PreparedStatement statement = connection.prepareStatement("INSERT INTO t (owner) VALUES ('leader')");
                try {
                    statement.executeUpdate(); // UNIQUE: fails; the statement is left open
                } catch (SQLException expected) {
                    // the caller gives up on the connection
                }
                return null;
            } finally {
                connection.close(); // neither committed nor rolled back
            }
        });
        awaitLaneWaiters(1);
        memberWaits.countDown();
        member.get(10, TimeUnit.SECONDS);
        try {
            assertThat(leader.get(10, TimeUnit.SECONDS)).isNull();
        } catch (TimeoutException e) {
            throw new AssertionError("the leader's commit() never returned (" + pool.writeLaneStats() + ")");
        }
    }

    /**
     * A member takes the connection's metadata inside its transaction (on the group's connection)
     * and uses it after its commit, its lease still open: it must not run on the group's connection,
     * which is the leader's and, once the leader's lease is closed, another lease's.
     */
    @Test
    void metadataTakenInsideAMemberDoesNotRunOnAnotherLeasesConnectionLater() throws Exception {
        CountDownLatch memberWaits = new CountDownLatch(1);
        Future<Throwable> leader = leaderCommittingAfter(memberWaits);
        AtomicReference<java.sql.DatabaseMetaData> kept = new AtomicReference<>();
        CountDownLatch otherLeaseWrote = new CountDownLatch(1);
        Future<Long> member = threads.submit(() -> {
            try (Connection connection = pool.getConnection()) {
                connection.setAutoCommit(false);
                kept.set(connection.getMetaData()); // enters the group: the leader's connection
                insert(connection, "member");
                connection.commit();
                connection.setAutoCommit(true);
                otherLeaseWrote.await(15, TimeUnit.SECONDS);
                long rows = 0;
                try (java.sql.ResultSet tables = kept.get().getTables(null, null, "uncommitted_elsewhere_%", null)) {
                    while (tables.next()) {
                        rows++;
                    }
                }
                return rows;
            }
        });
        awaitLaneWaiters(1);
        memberWaits.countDown();
        assertThat(leader.get(10, TimeUnit.SECONDS)).isNull(); // the leader's lease is closed: its connection is idle
        java.util.List<Connection> all = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) { // every idle connection, one of them the leader's
                Connection other = pool.getConnection();
                all.add(other);
                try (java.sql.Statement statement = other.createStatement()) {
                    statement.execute("CREATE TEMP TABLE uncommitted_elsewhere_" + i + " (x)"); // this connection's own
                }
            }
            otherLeaseWrote.countDown();
            assertThat(member.get(10, TimeUnit.SECONDS))
                    .as("temporary tables of other leases that the member's metadata sees").isZero();
        } finally {
            otherLeaseWrote.countDown();
            for (Connection other : all) {
                other.close();
            }
        }
    }
}

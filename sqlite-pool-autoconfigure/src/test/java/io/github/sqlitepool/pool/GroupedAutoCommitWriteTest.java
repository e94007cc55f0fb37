package io.github.sqlitepool.pool;

import static io.github.sqlitepool.pool.PoolFixtures.execute;
import static io.github.sqlitepool.pool.PoolFixtures.queryLong;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/**
 * Auto-commit writes in group commits ({@code group-commit.auto-commit-writes}): a write that
 * waits for the lane runs in a group, on a statement made like the caller's on the group's
 * connection, and its caller sees what it would alone: its update count, its generated keys, its
 * own error. Groups are made to form deterministically: a transaction holds the lane until the
 * writers wait ({@link WriteLane#stats()} shows them queued).
 */
class GroupedAutoCommitWriteTest {

    private static final int WRITERS = 5;

    @TempDir
    Path dir;

    private SqlitePool pool;

    private final List<Integer> groups = Collections.synchronizedList(new ArrayList<>());

    private ExecutorService threads;

    private final PoolListener listener = new PoolListener() {
        @Override
        public void groupCommitEnded(int members, boolean committed) {
            groups.add(committed ? members : -members);
        }
    };

    /** The same writes on sqlite-jdbc's own data source: what the caller sees there is what it must see here. */
    private final SQLiteDataSource plainDriver = new SQLiteDataSource();

    @TempDir
    Path plainDir;

    @BeforeEach
    void open() throws SQLException {
        plainDriver.setUrl("jdbc:sqlite:" + plainDir.resolve("plain.db"));
        try (Connection connection = plainDriver.getConnection()) {
            createTables(connection);
        }
        pool = new SqlitePool(PoolFixtures.config(dir, WRITERS + 3)
                .groupCommit(PoolFixtures.GROUP_WHENEVER_WAITING.withAutoCommitWrites(true)).build());
        pool.addListener(listener);
        threads = Executors.newCachedThreadPool();
        try (Connection connection = pool.getConnection()) {
            createTables(connection);
        }
    }

    private static void createTables(Connection connection) throws SQLException {
        execute(connection, "CREATE TABLE t (id INTEGER PRIMARY KEY, owner TEXT UNIQUE, n INTEGER, b BLOB, d REAL)");
        execute(connection, "CREATE TABLE changes (x INTEGER)");
    }

    /** What {@code write} returns and counts on the plain driver (not its generated key: another database). */
    private Seen onThePlainDriver(Write write) throws Exception {
        try (Connection connection = plainDriver.getConnection()) {
            return write.run(connection);
        }
    }

    private void assertCountsAsOnThePlainDriver(Seen seen, Write write) throws Exception {
        Seen plain = onThePlainDriver(write);
        assertThat(seen.updated()).as("returned").isEqualTo(plain.updated());
        assertThat(seen.updateCount()).as("getUpdateCount()").isEqualTo(plain.updateCount());
    }

    @AfterEach
    void close() throws InterruptedException {
        threads.shutdownNow();
        assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).as("helper threads ended").isTrue();
        pool.close();
    }

    /** What one writer saw of its own write. */
    private record Seen(int updated, int updateCount, long generatedKey, Throwable failure) {
    }

    private interface Write {
        Seen run(Connection connection) throws Exception;
    }

    /** An auto-commit {@code INSERT} of {@code owner} through a prepared statement, and what it answered. */
    private static Write insert(String owner) {
        return connection -> {
            try (PreparedStatement statement = connection.prepareStatement("INSERT INTO t (owner, n) VALUES (?, ?)")) {
                statement.setString(1, owner);
                statement.setInt(2, 7);
                int updated = statement.executeUpdate();
                return new Seen(updated, statement.getUpdateCount(), key(statement), null);
            }
        };
    }

    private static long key(Statement statement) throws SQLException {
        try (ResultSet keys = statement.getGeneratedKeys()) {
            assertThat(keys.next()).as("a generated key").isTrue();
            return keys.getLong(1);
        }
    }

    /**
     * Holds the lane with a transaction that wrote until every write of {@code writes} waits for
     * it, in this order; then ends it ({@code commit}: a group forms on its connection; else a
     * rollback hands the lane to the first write). Returns each write's outcome.
     *
     * <p>Before a rollback, the first write has waited past the lane's barge bound: a running
     * arrival takes the head of the queue from a parked waiter until then, and afterwards a
     * release serves the longest waiter first ({@link LaneQueue}).
     */
    private List<Seen> whileTheLaneIsHeld(boolean commit, List<Write> writes) throws Exception {
        List<Future<Seen>> outcomes = new ArrayList<>();
        long firstWaiting = 0;
        try (Connection holder = pool.getConnection()) {
            holder.setAutoCommit(false);
            execute(holder, "INSERT INTO t (owner, n) VALUES ('holder', 0)");
            for (Write write : writes) {
                outcomes.add(threads.submit(() -> {
                    try (Connection connection = pool.getConnection()) {
                        return write.run(connection);
                    } catch (SQLException e) { // its own error: the outcome; anything else fails the test
                        return new Seen(-1, -1, -1, e);
                    }
                }));
                PoolFixtures.awaitLaneWaiters(pool, outcomes.size()); // one by one: the group takes them in this order
                if (outcomes.size() == 1) {
                    firstWaiting = System.nanoTime();
                }
            }
            long waitingSince = firstWaiting;
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).pollInterval(java.time.Duration.ofMillis(1))
                    .until(() -> System.nanoTime() - waitingSince > 2 * LaneQueue.DEFAULT_BARGE_NANOS);
            if (commit) {
                holderOutcome = PoolFixtures.commitOrRollBack(holder);
            } else {
                holder.rollback();
                holder.setAutoCommit(true);
            }
        }
        List<Seen> seen = new ArrayList<>();
        for (Future<Seen> outcome : outcomes) {
            seen.add(outcome.get(10, TimeUnit.SECONDS));
        }
        return seen;
    }

    /**
     * The groups the listener heard of, once there are {@code count}: a group's members return as
     * soon as its outcome is published, before the listener hears of it.
     */
    private List<Integer> endedGroups(int count) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> groups.size() >= count);
        return List.copyOf(groups);
    }

    /** The holder's commit: null when it committed, else its error. */
    private Throwable holderOutcome;

    private long idOf(String owner) throws SQLException {
        try (Connection connection = pool.getConnection()) {
            return queryLong(connection, "SELECT id FROM t WHERE owner = '" + owner + "'");
        }
    }

    @Test
    void waitingWritesCommitInTheTransactionsGroupEachWithItsOwnCountAndKey() throws Exception {
        List<Write> writes = new ArrayList<>();
        for (int i = 0; i < WRITERS; i++) {
            writes.add(insert("w" + i));
        }
        List<Seen> seen = whileTheLaneIsHeld(true, writes);

        assertThat(endedGroups(1)).containsExactly(1 + WRITERS);
        for (int i = 0; i < WRITERS; i++) {
            assertThat(seen.get(i).failure()).as("writer %d", i).isNull();
            assertThat(seen.get(i).updated()).isEqualTo(1);
            assertCountsAsOnThePlainDriver(seen.get(i), insert("plain" + i));
            assertThat(seen.get(i).generatedKey()).as("writer %d's own row", i).isEqualTo(idOf("w" + i));
        }
        assertThat(idOf("holder")).isPositive();
    }

    @Test
    void aWriteThatFailsGetsItsOwnErrorAndTheOthersCommit() throws Exception {
        try (Connection connection = pool.getConnection()) {
            execute(connection, "INSERT INTO t (owner, n) VALUES ('taken', 0)");
        }
        List<Seen> seen = whileTheLaneIsHeld(true, List.of(insert("a"), insert("taken"), insert("b")));

        assertThat(endedGroups(1)).containsExactly(4); // every write the group took, the failed one (its savepoint undone) too
        assertThat(seen.get(1).failure()).hasMessageContaining("UNIQUE");
        assertThat(seen.get(0).generatedKey()).isEqualTo(idOf("a"));
        assertThat(seen.get(2).generatedKey()).isEqualTo(idOf("b"));
        try (Connection connection = pool.getConnection()) {
            assertThat(queryLong(connection, "SELECT count(*) FROM t")).isEqualTo(4);
        }
    }

    @Test
    void aWriteHoldingTheLaneWhileOthersWaitOpensAGroupOnItsConnection() throws Exception {
        // the holder rolls back: the lane goes to the first write, which finds the others waiting
        List<Seen> seen = whileTheLaneIsHeld(false, List.of(insert("first"), insert("second"), insert("third")));

        assertThat(endedGroups(1)).containsExactly(3);
        assertThat(seen).extracting(Seen::failure).containsOnlyNulls();
        assertThat(seen.get(0).generatedKey()).isEqualTo(idOf("first"));
        assertCountsAsOnThePlainDriver(seen.get(0), insert("plain-first"));
        assertCountsAsOnThePlainDriver(seen.get(1), insert("plain-second"));
        assertThat(seen.get(2).generatedKey()).isEqualTo(idOf("third"));
    }

    /** {@code last_insert_rowid()} and {@code changes()} of {@code connection}, in one query. */
    private static long[] counters(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT last_insert_rowid(), changes()")) {
            row.next();
            return new long[] {row.getLong(1), row.getLong(2)};
        }
    }

    /**
     * Runs {@code before} alone on a pool lease, then {@code grouped} on the same lease as a write
     * the lane's holder takes, then {@code after}; returns the lease's counters then, with those of
     * a plain driver's connection after the same SQL, the holder's and the other writer's rows
     * inserted in between on another connection (so that row ids name the same rows in both).
     */
    private long[][] countersAfter(List<String> before, String grouped, List<String> after) throws Exception {
        try (Connection writer = pool.getConnection()) {
            for (String sql : before) {
                execute(writer, sql); // alone: nobody waits
            }
            Write write = on(writer, connection -> {
                try (Statement statement = connection.createStatement()) {
                    return new Seen(statement.executeUpdate(grouped), -1, -1, null);
                } catch (SQLException e) {
                    return new Seen(-1, -1, -1, e);
                }
            });
            List<Seen> seen = whileTheLaneIsHeld(true, List.of(insert("other"), write));
            assertThat(endedGroups(1).get(0)).as("the holder, other and the lease's write").isEqualTo(3);
            for (String sql : after) {
                execute(writer, sql);
            }
            long[] pooled = counters(writer);
            try (Connection plain = plainDriver.getConnection()) {
                for (String sql : before) {
                    execute(plain, sql);
                }
                try (Connection others = plainDriver.getConnection()) {
                    execute(others, "INSERT INTO t (owner, n) VALUES ('holder', 0), ('other', 7)");
                }
                try {
                    execute(plain, grouped);
                } catch (SQLException e) {
                    assertThat(seen.get(1).failure()).as("failed in both").hasMessage(e.getMessage());
                }
                for (String sql : after) {
                    execute(plain, sql);
                }
                return new long[][] {pooled, counters(plain)};
            }
        }
    }

    @Test
    void afterAGroupedInsertTheConnectionAnswersItsOwnLastInsertAndChanges() throws Exception {
        long[][] counters = countersAfter(List.of(), "INSERT INTO t (owner, n) VALUES ('asker', 1)", List.of());

        assertThat(counters[0]).as("last_insert_rowid(), changes()").containsExactly(idOf("asker"), 1)
                .containsExactly(counters[1]);
    }

    @Test
    void aWriteThatOpenedAGroupAnswersItsOwnCountersAfterTheOthersWroteOnItsConnection() throws Exception {
        Write opener = connection -> {
            Seen seen = insert("opener").run(connection);
            long[] answered = counters(connection);
            return new Seen((int) answered[0], (int) answered[1], seen.generatedKey(), null);
        };
        // the holder rolls back: the lane goes to the opener, which finds the others waiting
        List<Seen> seen = whileTheLaneIsHeld(false, List.of(opener, insert("second"), insert("third")));

        assertThat(endedGroups(1)).containsExactly(3);
        assertThat(seen).extracting(Seen::failure).containsOnlyNulls();
        assertThat(seen.get(0).updated()).as("last_insert_rowid(): its own row, not third's").isEqualTo(idOf("opener"));
        assertThat(seen.get(0).updateCount()).as("changes()").isEqualTo(1);
    }

    @Test
    void afterAGroupedUpdateTheLastInsertIsTheLeasesOwnEarlierOne() throws Exception {
        long[][] counters = countersAfter(List.of("INSERT INTO t (owner, n) VALUES ('mine', 1)"),
                "UPDATE t SET n = n + 1 WHERE owner IN ('mine', 'holder', 'other')", List.of());

        assertThat(counters[0]).as("its own insert; three rows updated").containsExactly(idOf("mine"), 3)
                .containsExactly(counters[1]);
    }

    /** On {@code writer}: an insert of a second 'mine', which the table's unique owner refuses; its error is its outcome. */
    private static Write secondMineOn(Connection writer) {
        return on(writer, connection -> {
            try (Statement statement = connection.createStatement()) {
                return new Seen(statement.executeUpdate("INSERT INTO t (owner, n) VALUES ('mine', 2)"), -1, -1, null);
            } catch (SQLException e) {
                return new Seen(-1, -1, -1, e);
            }
        });
    }

    @Test
    void afterAGroupedInsertFailsChangesIsZeroAndTheLastInsertRefusedUntilTheLeaseInsertsAgain() throws Exception {
        try (Connection writer = pool.getConnection()) {
            execute(writer, "INSERT INTO t (owner, n) VALUES ('mine', 1)"); // alone: nobody waits
            List<Seen> seen = whileTheLaneIsHeld(true, List.of(insert("other"), secondMineOn(writer)));

            assertThat(seen.get(1).failure()).hasMessageContaining("UNIQUE");
            assertThat(endedGroups(1).get(0)).isEqualTo(3);
            assertThat(queryLong(writer, "SELECT changes()")).as("as alone after a failed statement").isZero();
            // a failed insert may have inserted rows before it failed (SQLite then reports one rolled back)
            assertThatThrownBy(() -> queryLong(writer, "SELECT last_insert_rowid()")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("not known")
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("25000");
            execute(writer, "INSERT INTO t (owner, n) VALUES ('mine-again', 1)"); // alone, on its own connection
            assertThat(counters(writer)).containsExactly(idOf("mine-again"), 1);
        }
    }

    /**
     * Leaves {@code writer}'s last row id not known, as above: one of its inserts fails in a group;
     * then deletes the holder's row, so that the next group's holder can insert it again.
     */
    private void leaveTheLastInsertNotKnown(Connection writer) throws Exception {
        execute(writer, "INSERT INTO t (owner, n) VALUES ('mine', 1)"); // alone: nobody waits
        assertThat(whileTheLaneIsHeld(true, List.of(insert("other"), secondMineOn(writer))).get(1).failure())
                .hasMessageContaining("UNIQUE");
        assertThatThrownBy(() -> queryLong(writer, "SELECT last_insert_rowid()")).hasMessageContaining("not known");
        try (Connection other = pool.getConnection()) {
            execute(other, "DELETE FROM t WHERE owner = 'holder'");
        }
    }

    @Test
    void aRowInsertedInATransactionOnTheLeasesOwnConnectionMakesItsLastInsertKnownAgain() throws Exception {
        try (Connection writer = pool.getConnection()) {
            leaveTheLastInsertNotKnown(writer);
            writer.setAutoCommit(false); // alone: nobody waits
            execute(writer, "UPDATE t SET n = n + 1 WHERE owner = 'mine'");
            assertThatThrownBy(() -> queryLong(writer, "SELECT last_insert_rowid()"))
                    .as("an update inserts no row: still not known").hasMessageContaining("not known");
            execute(writer, "INSERT INTO t (owner, n) VALUES ('in-transaction', 1)");
            long inserted = queryLong(writer, "SELECT id FROM t WHERE owner = 'in-transaction'");
            assertThat(queryLong(writer, "SELECT last_insert_rowid()")).as("inside the transaction").isEqualTo(inserted);
            writer.commit();
            writer.setAutoCommit(true);

            assertThat(counters(writer)).as("after its commit, as on the plain driver").containsExactly(inserted, 1);
        }
    }

    @Test
    void aRowInsertedByTheLeasesTransactionAsAGroupMemberMakesItsLastInsertKnownAgain() throws Exception {
        try (Connection writer = pool.getConnection()) {
            leaveTheLastInsertNotKnown(writer);
            Write member = on(writer, connection -> {
                connection.setAutoCommit(false);
                execute(connection, "INSERT INTO t (owner, n) VALUES ('member', 1)");
                connection.commit();
                connection.setAutoCommit(true);
                return new Seen(1, -1, -1, null);
            });
            List<Seen> seen = whileTheLaneIsHeld(true, List.of(insert("another"), member));

            assertThat(seen).extracting(Seen::failure).containsOnlyNulls();
            assertThat(endedGroups(2).get(1)).as("the holder, another and the lease's transaction").isEqualTo(3);
            assertThat(queryLong(writer, "SELECT last_insert_rowid()")).as("its own row's, not another's")
                    .isEqualTo(idOf("member"));
        }
    }

    @Test
    void aBatchOfAPreparedStatementWithoutParametersRunsEveryRowAsOnThePlainDriver() throws Exception {
        Write batch = connection -> {
            try (PreparedStatement statement = connection.prepareStatement("INSERT INTO changes DEFAULT VALUES")) {
                statement.addBatch();
                statement.addBatch(); // no parameters: the driver counts the rows without moving its parameter position
                int[] counts = statement.executeBatch();
                assertThat(counts).as("one count per row").containsExactly(1, 1);
                return new Seen(counts.length, statement.getUpdateCount(), -1, null);
            }
        };
        List<Seen> seen = whileTheLaneIsHeld(true, List.of(insert("other"), batch));

        assertThat(seen).extracting(Seen::failure).containsOnlyNulls();
        assertThat(seen.get(1).updated()).isEqualTo(2);
        try (Connection connection = pool.getConnection()) {
            assertThat(queryLong(connection, "SELECT count(*) FROM changes")).as("both rows written").isEqualTo(2);
        }
        assertThat(onThePlainDriver(batch).updated()).isEqualTo(2);
    }

    @Test
    void anInsertRunByExecuteQueryInAGroupLeavesTheLastInsertRefusedNotStale() throws Exception {
        Write insertAsQuery = connection -> {
            execute(connection, "INSERT INTO t (owner, n) VALUES ('before', 1)"); // its connection's own, alone
            return new Seen(1, -1, -1, null);
        };
        try (Connection writer = pool.getConnection()) {
            insertAsQuery.run(writer);
            Write grouped = on(writer, connection -> {
                try (Statement statement = connection.createStatement()) {
                    statement.executeQuery("INSERT INTO t (owner, n) VALUES ('as-query', 1)"); // sqlite-jdbc runs it, then throws
                    return new Seen(1, -1, -1, null);
                } catch (SQLException e) {
                    return new Seen(-1, -1, -1, e);
                }
            });
            List<Seen> seen = whileTheLaneIsHeld(true, List.of(insert("other"), grouped));

            assertThat(seen.get(1).failure()).as("as on the plain driver").isNotNull();
            assertThat(idOf("as-query")).as("it ran, and was committed").isPositive();
            assertThatThrownBy(() -> queryLong(writer, "SELECT last_insert_rowid()"))
                    .as("not 'before''s id: the write ran elsewhere, and what it left is not known")
                    .isInstanceOf(SQLException.class)
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("25000");
        }
    }

    @Test
    void aWriteOnTheLeasesOwnConnectionAfterAGroupedOneReadsAndSetsTheCountersAsAlone() throws Exception {
        for (Connection connection : List.of(pool.getConnection(), plainDriver.getConnection())) {
            try (connection) {
                execute(connection, "CREATE TABLE child (parent INTEGER)");
            }
        }
        long[][] counters = countersAfter(List.of(), "INSERT INTO t (owner, n) VALUES ('parent', 1)",
                List.of("INSERT INTO child (parent) VALUES (last_insert_rowid())", "UPDATE t SET n = 5 WHERE n = 1"));

        assertThat(counters[0]).as("the child's own row; the one row updated").containsExactly(1, 1)
                .containsExactly(counters[1]);
        try (Connection connection = pool.getConnection()) {
            assertThat(queryLong(connection, "SELECT parent FROM child")).as("its own parent's id, not another writer's")
                    .isEqualTo(idOf("parent"));
        }
    }

    @Test
    void aTransactionAfterAGroupedWriteLeavesItsOwnCounters() throws Exception {
        Write groupedThenTransaction = connection -> {
            Seen seen = insert("grouped").run(connection);
            connection.setAutoCommit(false); // alone: nobody waits
            execute(connection, "UPDATE t SET n = n + 1 WHERE owner = 'holder'");
            long[] inside = counters(connection);
            connection.commit();
            connection.setAutoCommit(true);
            assertThat(counters(connection)).as("after its commit").containsExactly(inside);
            return new Seen((int) inside[0], (int) inside[1], seen.generatedKey(), null);
        };
        List<Seen> seen = whileTheLaneIsHeld(true, List.of(insert("other"), groupedThenTransaction));

        assertThat(seen).extracting(Seen::failure).containsOnlyNulls();
        assertThat(seen.get(1).updated()).as("last_insert_rowid(): the grouped insert's").isEqualTo(idOf("grouped"));
        assertThat(seen.get(1).updateCount()).as("changes(): its update's").isEqualTo(1);
    }

    @Test
    void theCountersAreRestoredWithACursorOpenAndTotalChangesStaysRefused() throws Exception {
        Write thenAsk = connection -> {
            Seen seen = insert("asker").run(connection);
            try (Statement reader = connection.createStatement(); ResultSet rows = reader.executeQuery("SELECT owner FROM t")) {
                assertThat(rows.next()).isTrue(); // a cursor open on the lease's connection while they are restored
                long[] answered = counters(connection);
                assertThat(rows.next()).as("the cursor reads on").isTrue();
                assertThatThrownBy(() -> queryLong(connection, "SELECT total_changes()")).isInstanceOf(SQLException.class)
                        .hasMessageContaining("total_changes() counts every write")
                        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("25000");
                execute(connection, "INSERT INTO changes (x) VALUES (1)"); // a table of that name is no question
                return new Seen((int) answered[0], (int) answered[1], seen.generatedKey(), null);
            }
        };
        List<Seen> seen = whileTheLaneIsHeld(true, List.of(insert("other"), thenAsk));

        assertThat(seen).extracting(Seen::failure).containsOnlyNulls();
        assertThat(endedGroups(1).get(0)).isEqualTo(3);
        assertThat(seen.get(1).updated()).isEqualTo(idOf("asker"));
        assertThat(seen.get(1).updateCount()).isEqualTo(1);
        try (Connection next = pool.getConnection()) { // a later lease of any connection asks freely
            execute(next, "INSERT INTO changes (x) VALUES (2)");
            assertThat(queryLong(next, "SELECT changes()")).isEqualTo(1);
            assertThat(queryLong(next, "SELECT count(*) FROM changes")).isEqualTo(2);
        }
    }

    @Test
    void everyParameterTypeReachesTheGroupsConnectionAsBound() throws Exception {
        byte[] bytes = {1, 2, 3, (byte) 0xff};
        Write typed = connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "INSERT INTO t (owner, n, b, d) VALUES (?, ?, ?, ?)")) {
                statement.setString(1, "typed");
                statement.setLong(2, Long.MAX_VALUE);
                statement.setBytes(3, bytes);
                statement.setDouble(4, 2.5);
                int updated = statement.executeUpdate();
                // the caller's statement keeps its parameters: running it again inserts the same values
                statement.setString(1, "typed-again");
                statement.executeUpdate();
                return new Seen(updated, statement.getUpdateCount(), key(statement), null);
            }
        };
        Write nulls = connection -> {
            try (PreparedStatement statement = connection.prepareStatement("INSERT INTO t (owner, n) VALUES (?, ?)")) {
                statement.setString(1, "nulls");
                statement.setNull(2, Types.INTEGER);
                return new Seen(statement.executeUpdate(), statement.getUpdateCount(), key(statement), null);
            }
        };
        List<Seen> seen = whileTheLaneIsHeld(true, List.of(typed, nulls));

        assertThat(seen).extracting(Seen::failure).containsOnlyNulls();
        try (Connection connection = pool.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT owner, n, b, d FROM t WHERE owner LIKE 'typed%' OR owner = 'nulls' ORDER BY owner")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("nulls");
            assertThat(rows.getObject(2)).isNull();
            for (String owner : List.of("typed", "typed-again")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo(owner);
                assertThat(rows.getLong(2)).isEqualTo(Long.MAX_VALUE);
                assertThat(rows.getBytes(3)).containsExactly(bytes);
                assertThat(rows.getDouble(4)).isEqualTo(2.5);
            }
        }
        assertThat(seen.get(0).generatedKey()).isEqualTo(idOf("typed-again"));
        assertThat(seen.get(1).generatedKey()).isEqualTo(idOf("nulls"));
    }

    @Test
    void plainStatementsAndUpdatesAreGroupedWithTheirCounts() throws Exception {
        try (Connection connection = pool.getConnection()) {
            execute(connection, "INSERT INTO t (owner, n) VALUES ('u1', 1), ('u2', 1), ('u3', 2)");
        }
        Write update = connection -> {
            try (Statement statement = connection.createStatement()) {
                int updated = statement.executeUpdate("UPDATE t SET n = n + 10 WHERE n = 1");
                return new Seen(updated, -1, -1, null);
            }
        };
        Write executed = connection -> {
            try (Statement statement = connection.createStatement()) {
                boolean rows = statement.execute("DELETE FROM t WHERE owner = 'u3'");
                return new Seen(rows ? -1 : 0, statement.getUpdateCount(), -1, null);
            }
        };
        try (Connection connection = plainDriver.getConnection()) {
            execute(connection, "INSERT INTO t (owner, n) VALUES ('u1', 1), ('u2', 1), ('u3', 2)");
        }
        List<Seen> seen = whileTheLaneIsHeld(true, List.of(update, executed));

        assertThat(endedGroups(1)).containsExactly(3);
        assertThat(seen.get(0).updated()).isEqualTo(2);
        assertCountsAsOnThePlainDriver(seen.get(0), update);
        assertCountsAsOnThePlainDriver(seen.get(1), executed);
        try (Connection connection = pool.getConnection()) {
            assertThat(queryLong(connection, "SELECT sum(n) FROM t WHERE owner IN ('u1', 'u2')")).isEqualTo(22);
            assertThat(queryLong(connection, "SELECT count(*) FROM t WHERE owner = 'u3'")).isZero();
        }
    }

    @Test
    void writesTiedToTheirOwnConnectionRunAloneAndKeepItsAnswers() throws Exception {
        Write withTemporaryTable = connection -> {
            execute(connection, "CREATE TEMP TABLE mine (x INTEGER)");
            try (PreparedStatement statement = connection.prepareStatement("INSERT INTO t (owner, n) VALUES (?, 1)")) {
                statement.setString(1, "tied");
                statement.executeUpdate();
            }
            return new Seen(1, 1, queryLong(connection, "SELECT last_insert_rowid()"), null);
        };
        Write twoStatements = connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.executeUpdate("INSERT INTO t (owner, n) VALUES ('two-a', 1); INSERT INTO t (owner, n) VALUES ('two-b', 1)");
            }
            return new Seen(1, 1, queryLong(connection, "SELECT last_insert_rowid()"), null);
        };
        List<Seen> seen = whileTheLaneIsHeld(true, List.of(insert("grouped"), withTemporaryTable, twoStatements));

        assertThat(seen).extracting(Seen::failure).containsOnlyNulls();
        assertThat(endedGroups(1)).first().isEqualTo(2); // the holder and the first write
        assertThat(seen.get(1).generatedKey()).isEqualTo(idOf("tied"));
        assertThat(seen.get(2).generatedKey()).isEqualTo(idOf("two-b"));
    }

    @Test
    void aWriteThatOpensAGroupAndFailsGetsItsErrorAndTheOthersStillCommit() throws Exception {
        try (Connection connection = pool.getConnection()) {
            execute(connection, "INSERT INTO t (owner, n) VALUES ('taken', 0)");
        }
        List<Seen> seen = whileTheLaneIsHeld(false, List.of(insert("taken"), insert("after-1"), insert("after-2")));

        assertThat(seen.get(0).failure()).hasMessageContaining("UNIQUE");
        assertThat(seen.get(1).failure()).isNull();
        assertThat(seen.get(2).failure()).isNull();
        assertThat(seen.get(1).generatedKey()).isEqualTo(idOf("after-1"));
        assertThat(seen.get(2).generatedKey()).isEqualTo(idOf("after-2"));
        try (Connection connection = pool.getConnection()) {
            assertThat(queryLong(connection, "SELECT count(*) FROM t")).isEqualTo(3);
            assertThat(PoolFixtures.queryString(connection, "PRAGMA integrity_check")).isEqualTo("ok");
        }
    }

    @Test
    void aSharedCommitThatFailsFailsEveryWriteOfTheGroupAndCommitsNothing() throws Exception {
        try (Connection connection = pool.getConnection()) {
            execute(connection, "CREATE TABLE parent (id INTEGER PRIMARY KEY)");
            execute(connection, "CREATE TABLE child (parent INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)");
        }
        Write orphan = connection -> {
            try (PreparedStatement statement = connection.prepareStatement("INSERT INTO child (parent) VALUES (?)")) {
                statement.setInt(1, 42); // no such parent: SQLite refuses it only at the COMMIT
                return new Seen(statement.executeUpdate(), -1, -1, null);
            }
        };
        List<Seen> seen = whileTheLaneIsHeld(true, List.of(insert("a"), orphan, insert("b")));

        assertThat(endedGroups(1)).containsExactly(-4);
        assertThat(holderOutcome).hasMessageContaining("FOREIGN KEY");
        assertThat(seen).allSatisfy(write -> assertThat(write.failure()).hasMessageContaining("FOREIGN KEY"));
        try (Connection connection = pool.getConnection()) {
            assertThat(queryLong(connection, "SELECT count(*) FROM t")).as("nothing of the group, the holder's row included")
                    .isZero();
            assertThat(queryLong(connection, "SELECT count(*) FROM child")).isZero();
        }
    }

    @Test
    void aFullDatabaseLeavesEveryWritersOutcomeTrue() throws Exception {
        pool.close();
        groups.clear();
        pool = new SqlitePool(PoolFixtures.config(dir, WRITERS + 3)
                .pragmas(io.github.sqlitepool.pool.config.PragmaSettings.builder()
                        .extra(java.util.Map.of("max_page_count", "14")).build())
                .groupCommit(PoolFixtures.GROUP_WHENEVER_WAITING.withAutoCommitWrites(true)).build());
        String page = "x".repeat(3000);
        List<Write> writes = new ArrayList<>();
        for (int i = 0; i < WRITERS + 1; i++) { // every connection but the holder's
            writes.add(insert("big-" + i + "-" + page));
        }
        List<Seen> seen = whileTheLaneIsHeld(true, writes);

        assertThat(seen).as("the database filled up: someone was refused").anySatisfy(write ->
                assertThat(write.failure()).isInstanceOf(SQLException.class));
        try (Connection connection = pool.getConnection()) {
            for (int i = 0; i < writes.size(); i++) {
                long rows = queryLong(connection, "SELECT count(*) FROM t WHERE owner LIKE 'big-" + i + "-%'");
                assertThat(rows).as("write %d, told %s", i, seen.get(i).failure())
                        .isEqualTo(seen.get(i).failure() == null ? 1 : 0);
            }
            assertThat(PoolFixtures.queryString(connection, "PRAGMA integrity_check")).isEqualTo("ok");
        }
    }

    @Test
    void aGroupAWriteOpensTakesOnlyWritesSoTheWritersStatementsStayOnItsConnection() throws Exception {
        java.util.concurrent.CountDownLatch openerDone = new java.util.concurrent.CountDownLatch(1);
        Write transaction = connection -> {
            connection.setAutoCommit(false); // waits at its begin: not for a group a write opened
            execute(connection, "CREATE TEMP TABLE kept (x INTEGER)"); // would tie it to the group's connection
            execute(connection, "INSERT INTO t (owner, n) VALUES ('transaction', 1)");
            connection.commit();
            // its next transaction stays open until the opener is done: had it taken the opener's
            // connection, the opener's next write would run inside it, and be rolled back with it
            queryLong(connection, "SELECT count(*) FROM t");
            boolean done = openerDone.await(10, TimeUnit.SECONDS);
            connection.rollback();
            connection.setAutoCommit(true);
            return new Seen(done ? 1 : 0, 1, -1, null);
        };
        Write opensAndReusesItsStatement = connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO t (owner, n) VALUES (?, 1)")) {
                insert.setString(1, "opener");
                insert.executeUpdate();
                long key = key(insert);
                insert.setString(1, "opener-again"); // the same statement, its connection's own write, committed at once
                insert.executeUpdate();
                long visible;
                try (Connection other = pool.getConnection()) {
                    visible = queryLong(other, "SELECT count(*) FROM t WHERE owner = 'opener-again'");
                }
                openerDone.countDown();
                assertThat(counters(connection)).as("its own second write's, alone on its connection")
                        .containsExactly(idOf("opener-again"), 1);
                return new Seen((int) visible, 1, key, null);
            } finally {
                openerDone.countDown();
            }
        };
        // the transaction waits behind the write: once it has waited past the lane's fairness bound,
        // no group takes a write queued after it (LaneQueue.takeQueuedWrite)
        List<Seen> seen = whileTheLaneIsHeld(false, List.of(opensAndReusesItsStatement, insert("write"), transaction));

        assertThat(seen).extracting(Seen::failure).containsOnlyNulls();
        assertThat(seen.get(0).updated()).as("the opener's second write, committed at once").isEqualTo(1);
        assertThat(seen.get(2).updated()).as("the transaction saw the opener finish").isEqualTo(1);
        assertThat(endedGroups(1)).first().as("the opener and the other write; the transaction ran alone").isEqualTo(2);
        assertThat(seen.get(0).generatedKey()).isEqualTo(idOf("opener"));
        assertThat(seen.get(1).generatedKey()).isEqualTo(idOf("write"));
        assertThat(idOf("transaction")).isPositive();
        assertThat(idOf("opener-again")).isPositive();
    }

    /**
     * Runs {@code write} on {@code writer}, a lease the test opened and used before, as one of the
     * writes {@link #whileTheLaneIsHeld} makes wait (from a helper thread, after the lease's own
     * earlier writes ran alone).
     */
    private static Write on(Connection writer, Write write) {
        return unused -> write.run(writer);
    }

    @Test
    void aWriteThatAsksTheConnectionForItsLastInsertNeverRunsInAGroup() throws Exception {
        try (Connection writer = pool.getConnection()) {
            execute(writer, "CREATE TABLE child (parent INTEGER)");
            execute(writer, "INSERT INTO t (owner, n) VALUES ('parent', 1)"); // alone: nobody waits
            Write child = on(writer, connection -> {
                execute(connection, "INSERT INTO child (parent) VALUES (last_insert_rowid())");
                return new Seen(1, -1, -1, null);
            });
            List<Seen> seen = whileTheLaneIsHeld(true, List.of(insert("other"), child, insert("another")));

            assertThat(seen).extracting(Seen::failure).containsOnlyNulls();
            assertThat(queryLong(writer, "SELECT parent FROM child")).as("its own parent's id, not another writer's")
                    .isEqualTo(idOf("parent"));
            assertThat(endedGroups(1)).first().as("the holder, other and another").isEqualTo(3);
        }
    }

    @Test
    void anInsertThatInsertedNothingAnswersItsOwnConnectionsLastInsertAsThePlainDriverDoes() throws Exception {
        Write ownInsertThenIgnored = connection -> {
            PreparedStatement ignored = connection.prepareStatement("INSERT OR IGNORE INTO t (owner, n) VALUES ('mine', 2)");
            int inserted = ignored.executeUpdate();
            return new Seen(inserted, ignored.getUpdateCount(), key(ignored), null);
        };
        long plainKey;
        try (Connection plain = plainDriver.getConnection()) {
            execute(plain, "INSERT INTO t (owner, n) VALUES ('mine', 1)");
            Seen onPlain = ownInsertThenIgnored.run(plain);
            plainKey = onPlain.generatedKey();
            assertThat(plainKey).as("the plain driver: the connection's own last insert")
                    .isEqualTo(queryLong(plain, "SELECT id FROM t WHERE owner = 'mine'"));
        }
        try (Connection writer = pool.getConnection()) {
            execute(writer, "INSERT INTO t (owner, n) VALUES ('filler', 1)");
            execute(writer, "INSERT INTO t (owner, n) VALUES ('mine', 1)"); // alone: nobody waits
            List<Seen> seen = whileTheLaneIsHeld(true, List.of(insert("other"), on(writer, ownInsertThenIgnored)));

            assertThat(endedGroups(1)).first().isEqualTo(3);
            assertThat(seen.get(1).failure()).isNull();
            assertThat(seen.get(1).updated()).isZero();
            assertThat(seen.get(1).generatedKey()).as("its own connection's last insert, not the group's")
                    .isEqualTo(idOf("mine")).isNotEqualTo(idOf("other"));
        }
    }

    @Test
    void anInsertThatInsertedNothingAloneAfterAGroupedInsertOfItsLeaseHasThatInsertsKeyAsOnThePlainDriver()
            throws Exception {
        try (Connection writer = pool.getConnection()) {
            execute(writer, "INSERT INTO t (owner, n) VALUES ('before', 1)"); // alone: its connection's last insert
            List<Seen> grouped = whileTheLaneIsHeld(true, List.of(insert("other"), on(writer, insert("mine"))));
            assertThat(endedGroups(1)).as("the insert ran in a group").containsExactly(3);
            long mine = grouped.get(1).generatedKey();
            assertThat(mine).isEqualTo(queryLong(writer, "SELECT id FROM t WHERE owner = 'mine'"));

            // nobody waits: on the lease's own connection, whose own last insert is 'before''s
            Seen ignored = on(writer, connection -> {
                try (PreparedStatement statement = connection.prepareStatement(
                        "INSERT OR IGNORE INTO t (owner, n) VALUES ('mine', 2)")) {
                    return new Seen(statement.executeUpdate(), statement.getUpdateCount(), key(statement), null);
                }
            }).run(writer);
            assertThat(ignored.updated()).isZero();
            assertThat(ignored.generatedKey()).as("the lease's last insert, as sqlite-jdbc reports it alone")
                    .isEqualTo(mine);
        }
    }

    /** An auto-commit insert of {@code sql} through a prepared statement, and what it answered. */
    private static Write inserting(String sql) {
        return connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                return new Seen(statement.executeUpdate(), statement.getUpdateCount(), key(statement), null);
            }
        };
    }

    @Test
    void aGroupedInsertIntoAWithoutRowidTableHasItsCallersLastInsertAsItsKeyAsAlone() throws Exception {
        try (Connection writer = pool.getConnection()) {
            execute(writer, "CREATE TABLE w (k TEXT PRIMARY KEY, v INTEGER) WITHOUT ROWID");
            execute(writer, "INSERT INTO t (owner, n) VALUES ('before', 1)"); // alone: the lease's last insert
            long before = queryLong(writer, "SELECT id FROM t WHERE owner = 'before'");

            List<Seen> grouped = whileTheLaneIsHeld(true,
                    List.of(insert("other"), on(writer, inserting("INSERT INTO \"main\".[w] (k, v) VALUES ('mine', 1)"))));

            assertThat(endedGroups(1)).as("the insert ran in a group").containsExactly(3);
            assertThat(grouped.get(1).updated()).isOne();
            assertThat(grouped.get(1).generatedKey())
                    .as("as sqlite-jdbc answers alone: the connection's last insert, not the group's ('other''s)")
                    .isEqualTo(before);
            assertThat(queryLong(writer, "SELECT last_insert_rowid()")).as("left as it was, and known").isEqualTo(before);

            try (Connection other = pool.getConnection()) {
                execute(other, "DELETE FROM t WHERE owner IN ('holder', 'other')"); // inserted again below
            }
            whileTheLaneIsHeld(true, List.of(insert("other"),
                    on(writer, inserting("INSERT /* the kind is not read */ INTO w (k, v) VALUES ('second', 1)"))));
            assertThat(endedGroups(2)).last().isEqualTo(3);
            assertThatThrownBy(() -> queryLong(writer, "SELECT last_insert_rowid()"))
                    .as("where the table's kind cannot be read, not known: refused, never answered wrongly")
                    .isInstanceOf(SQLException.class).hasMessageContaining("not known");
        }
    }

    @Test
    void aGroupedInsertWhoseNewRowIdEqualsTheLastOneInAnotherTableHasThatKey() throws Exception {
        try (Connection writer = pool.getConnection()) {
            execute(writer, "CREATE TABLE u (id INTEGER PRIMARY KEY, x INTEGER)");
            long holders = queryLong(writer, "SELECT coalesce(max(id), 0) + 1 FROM t"); // the group's last insert before
            List<Seen> grouped = whileTheLaneIsHeld(true,
                    List.of(on(writer, inserting("INSERT OR REPLACE INTO u (id, x) VALUES (" + holders + ", 1)"))));

            assertThat(endedGroups(1)).as("the insert ran in the holder's group").containsExactly(2);
            assertThat(idOf("holder")).isEqualTo(holders);
            assertThat(grouped.get(0).generatedKey()).as("its own row's id, which equals the holder's").isEqualTo(holders);
            assertThat(queryLong(writer, "SELECT last_insert_rowid()")).as("known: a table with row ids")
                    .isEqualTo(holders);
        }
    }

    @Test
    void anInsertThatInsertedNothingWhileTheLeasesLastInsertIsNotKnownRefusesItsKeyNotAStaleOne() throws Exception {
        try (Connection writer = pool.getConnection()) {
            execute(writer, "INSERT INTO t (owner, n) VALUES ('mine', 1)"); // alone: its connection's last insert
            Write failingInsert = on(writer, connection -> {
                try (Statement statement = connection.createStatement()) {
                    statement.executeQuery("INSERT INTO t (owner, n) VALUES ('as-query', 1)"); // runs, then throws
                    return new Seen(1, -1, -1, null);
                } catch (SQLException e) {
                    return new Seen(-1, -1, -1, e);
                }
            });
            whileTheLaneIsHeld(true, List.of(insert("other"), failingInsert));
            try (Connection other = pool.getConnection()) {
                execute(other, "DELETE FROM t WHERE owner = 'holder'"); // the next holder inserts it again
            }
            Write ignoredInsert = on(writer, connection -> {
                try (PreparedStatement ignored = connection.prepareStatement(
                        "INSERT OR IGNORE INTO t (owner, n) VALUES ('mine', 2)")) {
                    int inserted = ignored.executeUpdate();
                    try {
                        return new Seen(inserted, ignored.getUpdateCount(), key(ignored), null);
                    } catch (SQLException e) {
                        return new Seen(inserted, ignored.getUpdateCount(), -1, e);
                    }
                }
            });
            List<Seen> seen = whileTheLaneIsHeld(true, List.of(insert("another"), ignoredInsert));

            assertThat(endedGroups(2)).as("each write ran in a group").containsExactly(3, 3);
            assertThat(seen.get(1).updated()).isZero();
            assertThat(seen.get(1).failure()).as("the plain driver would name 'as-query''s id; 'mine''s is stale")
                    .isInstanceOf(SQLException.class).hasMessageContaining("not known")
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("25000");

            Seen alone = ignoredInsert.run(writer); // nobody waits: it runs on the lease's own connection
            assertThat(alone.updated()).isZero();
            assertThat(alone.failure()).as("alone too: its connection's last insert is still 'mine''s, stale")
                    .isInstanceOf(SQLException.class).hasMessageContaining("not known")
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("25000");
            Write inTransaction = on(writer, connection -> {
                connection.setAutoCommit(false);
                try {
                    return ignoredInsert.run(connection);
                } finally {
                    connection.commit();
                    connection.setAutoCommit(true);
                }
            });
            assertThat(inTransaction.run(writer).failure()).as("in a transaction of its own")
                    .isInstanceOf(SQLException.class).hasMessageContaining("not known")
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("25000");
            try (Connection other = pool.getConnection()) {
                execute(other, "DELETE FROM t WHERE owner = 'holder'");
            }
            List<Seen> asMember = whileTheLaneIsHeld(true, List.of(inTransaction));
            assertThat(endedGroups(3)).as("the holder and the member").last().isEqualTo(2);
            assertThat(asMember.get(0).failure()).as("as a member of a group: the group's connection answers "
                    + "the lease's stale id, set there").isInstanceOf(SQLException.class).hasMessageContaining("not known");

            try (PreparedStatement batch = writer.prepareStatement("INSERT OR IGNORE INTO t (owner, n) VALUES (?, 3)")) {
                batch.setString(1, "mine");
                batch.addBatch();
                batch.setString(1, "other");
                batch.addBatch();
                assertThat(batch.executeBatch()).as("both ignored").containsExactly(0, 0);
                assertThatThrownBy(batch::getGeneratedKeys).as("a batch of one SQL text is guarded too")
                        .hasMessageContaining("not known");
            }
            try (Statement batch = writer.createStatement()) { // no single SQL text: runs as before
                batch.addBatch("UPDATE t SET n = n + 1 WHERE owner = 'mine'");
                batch.addBatch("UPDATE t SET n = n + 1 WHERE owner = 'other'");
                assertThat(batch.executeBatch()).containsExactly(1, 1);
            }
            try (PreparedStatement upsert = writer.prepareStatement("INSERT INTO t (owner, n) VALUES ('mine', 1) "
                    + "ON CONFLICT (owner) DO UPDATE SET n = 50 RETURNING n")) {
                assertThat(upsert.execute()).isTrue();
                try (ResultSet returned = upsert.getResultSet()) {
                    assertThat(returned.next()).as("RETURNING's row stays the caller's").isTrue();
                    assertThat(returned.getInt(1)).isEqualTo(50);
                }
            }
            Seen inserted = insert("after").run(writer);
            assertThat(inserted.generatedKey()).as("an insert that inserts answers its own row's key")
                    .isEqualTo(idOf("after"));
        }
    }

    @Test
    void aReusedStatementsKeysAfterAGroupedUpdateAreAsOnThePlainDriver() throws Exception {
        Write insertThenUpdate = connection -> {
            Statement statement = connection.createStatement();
            statement.executeUpdate("UPDATE t SET n = n + 1 WHERE owner = 'row'");
            try (ResultSet keys = statement.getGeneratedKeys()) {
                return new Seen(1, -1, keys != null && keys.next() ? keys.getLong(1) : -1, null);
            }
        };
        try (Connection plain = plainDriver.getConnection()) {
            execute(plain, "INSERT INTO t (owner, n) VALUES ('row', 1)");
        }
        Seen onPlain = onThePlainDriver(insertThenUpdate);
        try (Connection writer = pool.getConnection()) {
            execute(writer, "INSERT INTO t (owner, n) VALUES ('row', 1)"); // alone: nobody waits
            List<Seen> seen = whileTheLaneIsHeld(true, List.of(insert("other"), on(writer, insertThenUpdate)));

            assertThat(endedGroups(1)).first().isEqualTo(3);
            assertThat(seen.get(1).generatedKey()).as("no keys after an UPDATE").isEqualTo(onPlain.generatedKey());
        }
    }

    @Test
    void whatSqliteKeepsOfAFailedWriteInAGroupIsCommittedAsOnThePlainDriver() throws Exception {
        Write failsHalfway = connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.executeUpdate("INSERT OR FAIL INTO t (owner, n) VALUES ('fail-1', 1), ('taken', 1), ('fail-3', 1)");
                return new Seen(1, -1, -1, null);
            } catch (SQLException e) {
                return new Seen(-1, -1, -1, e);
            }
        };
        for (Connection connection : List.of(pool.getConnection(), plainDriver.getConnection())) {
            try (connection) {
                execute(connection, "INSERT INTO t (owner, n) VALUES ('taken', 0)");
            }
        }
        List<Seen> seen = whileTheLaneIsHeld(true, List.of(failsHalfway, insert("after")));

        Seen onPlain = onThePlainDriver(failsHalfway);
        assertThat(seen.get(0).failure()).hasMessageContaining("UNIQUE");
        assertThat(onPlain.failure()).hasMessageContaining("UNIQUE");
        assertThat(endedGroups(1)).first().isEqualTo(3);
        try (Connection pooled = pool.getConnection(); Connection plain = plainDriver.getConnection()) {
            String kept = "SELECT count(*) FROM t WHERE owner LIKE 'fail-%'";
            assertThat(queryLong(pooled, kept)).as("rows the failed OR FAIL insert kept").isEqualTo(queryLong(plain, kept))
                    .isEqualTo(1);
        }
    }

    @Test
    void aWriteOfALeaseWithAnOpenCursorRunsAloneOnItsConnection() throws Exception {
        try (Connection connection = pool.getConnection()) {
            execute(connection, "INSERT INTO t (owner, n) VALUES ('a', 1), ('b', 1)");
        }
        Write whileReading = connection -> {
            try (Statement reader = connection.createStatement(); ResultSet rows = reader.executeQuery("SELECT owner FROM t")) {
                assertThat(rows.next()).isTrue(); // a cursor open: its snapshot is on this connection
                try (PreparedStatement update = connection.prepareStatement("UPDATE t SET n = n + 1 WHERE owner = 'a'")) {
                    update.executeUpdate();
                }
                // alone, on its own connection: the connection's own answers stay right
                return new Seen(1, (int) queryLong(connection, "SELECT changes()"), -1, null);
            }
        };
        // first in line when the holder rolls back: alone it finds its cursor's snapshot current, and
        // the other two writes then form a group of their own
        List<Seen> seen = whileTheLaneIsHeld(false, List.of(whileReading, insert("other"), insert("another")));

        assertThat(seen).extracting(Seen::failure).containsOnlyNulls();
        assertThat(seen.get(0).updateCount()).as("changes() on its own connection, not refused").isEqualTo(1);
        assertThat(endedGroups(1)).first().as("other and another").isEqualTo(2);
        try (Connection connection = pool.getConnection()) {
            assertThat(queryLong(connection, "SELECT n FROM t WHERE owner = 'a'")).isEqualTo(2);
        }
    }
}

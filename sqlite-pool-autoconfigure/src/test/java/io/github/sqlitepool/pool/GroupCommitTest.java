package io.github.sqlitepool.pool;

import static io.github.sqlitepool.pool.PoolFixtures.execute;
import static io.github.sqlitepool.pool.PoolFixtures.queryLong;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import io.github.sqlitepool.pool.config.GroupCommitSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group commit (issue 15): write transactions that wait at their begin run in the committing
 * transaction's SQLite transaction, each in its own savepoint, and keep their own outcome.
 * Groups are made to form deterministically: one transaction holds the lane until the others
 * wait at their begin ({@link WriteLane#stats()} shows them queued).
 */
class GroupCommitTest {

    private static final int MEMBERS = 6;

    @TempDir
    Path dir;

    private SqlitePool pool;

    private final Groups groups = new Groups();

    private ExecutorService threads;

    @BeforeEach
    void open() throws SQLException {
        pool = new SqlitePool(PoolFixtures.config(dir, MEMBERS + 2)
                .groupCommit(PoolFixtures.GROUP_WHENEVER_WAITING).build());
        pool.addListener(groups);
        threads = Executors.newCachedThreadPool();
        try (Connection connection = pool.getConnection()) {
            execute(connection, "CREATE TABLE t (id INTEGER PRIMARY KEY, owner TEXT UNIQUE, n INTEGER)");
        }
    }

    @AfterEach
    void close() throws InterruptedException {
        threads.shutdownNow();
        assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).as("helper threads ended").isTrue();
        pool.close();
    }

    /** The leader's commit: null when it committed, else its error. */
    private Throwable leaderOutcome;

    /** The commit of the leader's next transaction, on the same lease: null when it committed. */
    private Throwable leaderNextOutcome;

    /** Run on the leader's lease right after its commit returned, when set. */
    private Work leaderAfterCommit;

    /** Whether the leader, its commit failed, calls {@code commit()} again before it rolls back. */
    private boolean leaderRetriesCommit;

    /** That second {@code commit()}: null when it returned, else its error. */
    private Throwable leaderRetryOutcome;

    /** One member's work, run between {@code setAutoCommit(false)} and its end. */
    private interface Work {
        void run(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code leader} in a transaction that writes and holds the lane until {@code members}
     * transactions wait at their begin; then the leader commits and the members run as a group.
     * Returns each member's outcome: null for a commit, else its error.
     */
    private List<Throwable> inOneGroup(Work leader, List<Work> members) throws Exception {
        return inOneGroup(leader, members, null);
    }

    /** As above; {@code afterCommit} runs after each member's commit, on the same lease, in auto-commit mode. */
    private List<Throwable> inOneGroup(Work leader, List<Work> members, Work afterCommit) throws Exception {
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(false);
            leader.run(connection);
            List<Future<Throwable>> outcomes = new ArrayList<>();
            for (Work member : members) {
                outcomes.add(threads.submit(() -> runMember(member, afterCommit)));
                awaitLaneWaiters(outcomes.size()); // one by one: the group takes them in this order
            }
            try {
                connection.commit();
                if (leaderAfterCommit != null) {
                    leaderAfterCommit.run(connection);
                }
            } catch (SQLException e) {
                leaderOutcome = e;
                if (leaderRetriesCommit) {
                    try {
                        connection.commit();
                    } catch (SQLException again) {
                        leaderRetryOutcome = again;
                    }
                }
                connection.rollback();
            }
            // the leader's lease goes on with its next transaction (in a full database, that can fail too)
            try {
                insert("leader-next-" + System.nanoTime()).run(connection);
                connection.commit();
            } catch (SQLException e) {
                leaderNextOutcome = e;
                connection.rollback();
            }
            connection.setAutoCommit(true);
            List<Throwable> results = new ArrayList<>();
            for (Future<Throwable> outcome : outcomes) {
                results.add(outcome.get(10, TimeUnit.SECONDS));
            }
            return results;
        }
    }

    private Throwable runMember(Work member, Work afterCommit) {
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(false);
            try {
                member.run(connection);
                connection.commit();
                if (afterCommit != null) {
                    connection.setAutoCommit(true);
                    afterCommit.run(connection);
                }
                return null;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                return e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            return e;
        }
    }

    private void awaitLaneWaiters(int count) {
        PoolFixtures.awaitLaneWaiters(pool, count);
    }

    private static Work insert(String owner) {
        return connection -> {
            try (PreparedStatement statement = connection.prepareStatement("INSERT INTO t (owner, n) VALUES (?, 1)")) {
                statement.setString(1, owner);
                statement.executeUpdate();
            }
        };
    }

    private long count(String where) throws SQLException {
        try (Connection connection = pool.getConnection()) {
            return queryLong(connection, "SELECT count(*) FROM t WHERE " + where);
        }
    }

    @Test
    void waitingTransactionsCommitTogetherInOneGroup() throws Exception {
        List<Work> members = new ArrayList<>();
        for (int i = 0; i < MEMBERS; i++) {
            members.add(insert("member-" + i));
        }
        List<Throwable> outcomes = inOneGroup(insert("leader"), members);

        assertThat(leaderOutcome).isNull();
        assertThat(outcomes).containsOnlyNulls();
        assertThat(count("owner LIKE 'member-%'")).isEqualTo(MEMBERS);
        assertThat(count("owner = 'leader'")).isEqualTo(1);
        assertThat(groups.committed).containsExactly(MEMBERS + 1);
        assertThat(groups.failed).isEmpty();
    }

    @Test
    void aMemberThatFailsOrRollsBackLosesOnlyItsOwnWork() throws Exception {
        Work duplicate = connection -> {
            insert("dup-first-write").run(connection);
            insert("leader").run(connection); // UNIQUE: fails; the member rolls back
        };
        Work rollsBack = connection -> {
            insert("rolled-back").run(connection);
            connection.rollback();
        };
        List<Throwable> outcomes = inOneGroup(insert("leader"),
                List.of(insert("a"), duplicate, insert("b"), rollsBack, insert("c")));

        assertThat(outcomes.get(1)).isInstanceOf(SQLException.class).hasMessageContaining("UNIQUE");
        assertThat(outcomes.get(0)).isNull();
        assertThat(outcomes.get(2)).isNull();
        assertThat(outcomes.get(3)).isNull();
        assertThat(outcomes.get(4)).isNull();
        assertThat(count("owner IN ('leader', 'a', 'b', 'c')")).isEqualTo(4);
        assertThat(count("owner IN ('dup-first-write', 'rolled-back')")).isZero();
        assertThat(groups.committed).containsExactly(6);
    }

    @Test
    void laterMembersReadWhatEarlierMembersWrote() throws Exception {
        Map<String, Long> seen = new ConcurrentHashMap<>();
        Work counter = connection -> {
            long before = queryLong(connection, "SELECT count(*) FROM t");
            insert("after-" + before).run(connection);
            seen.put(Thread.currentThread().getName(), before);
        };
        List<Throwable> outcomes = inOneGroup(insert("leader"), List.of(counter, counter, counter, counter));

        assertThat(outcomes).containsOnlyNulls();
        assertThat(seen.values()).containsExactlyInAnyOrder(1L, 2L, 3L, 4L);
        assertThat(count("owner LIKE 'after-%'")).isEqualTo(4);
    }

    @Test
    void generatedKeysAndLastInsertRowidAreEachMembersOwn() throws Exception {
        Map<String, long[]> keys = new ConcurrentHashMap<>();
        Work keyed = connection -> {
            String owner = "keyed-" + Thread.currentThread().getName();
            long generated;
            try (PreparedStatement statement = connection.prepareStatement("INSERT INTO t (owner, n) VALUES (?, 1)",
                    java.sql.Statement.RETURN_GENERATED_KEYS)) {
                statement.setString(1, owner);
                statement.executeUpdate();
                try (var rs = statement.getGeneratedKeys()) {
                    rs.next();
                    generated = rs.getLong(1);
                }
            }
            long lastRowid = queryLong(connection, "SELECT last_insert_rowid()");
            long changes = queryLong(connection, "SELECT changes()");
            long actual = queryLong(connection, "SELECT id FROM t WHERE owner = '" + owner + "'");
            keys.put(owner, new long[] {generated, lastRowid, changes, actual});
        };
        List<Throwable> outcomes = inOneGroup(insert("leader"), List.of(keyed, keyed, keyed));

        assertThat(outcomes).containsOnlyNulls();
        assertThat(keys).hasSize(3);
        keys.values().forEach(k -> {
            assertThat(k[0]).as("generated key").isEqualTo(k[3]);
            assertThat(k[1]).as("last_insert_rowid()").isEqualTo(k[3]);
            assertThat(k[2]).as("changes()").isEqualTo(1);
        });
        assertThat(groups.committed).containsExactly(4);
    }

    /** {@code last_insert_rowid()} and {@code changes()} of {@code connection}, in one query. */
    private static long[] counters(Connection connection) throws SQLException {
        try (java.sql.Statement statement = connection.createStatement();
                java.sql.ResultSet row = statement.executeQuery("SELECT last_insert_rowid(), changes()")) {
            row.next();
            return new long[] {row.getLong(1), row.getLong(2)};
        }
    }

    @Test
    void afterTheGroupCommitsEachLeaseAnswersItsOwnTransactionsCountersAsOnThePlainDriver() throws Exception {
        Map<String, long[]> seen = new ConcurrentHashMap<>();
        leaderAfterCommit = connection -> seen.put("leader", counters(connection));
        Work updateOnly = connection -> execute(connection, "UPDATE t SET n = n + 1 WHERE owner IN ('leader', 'm-1')");
        List<Throwable> outcomes = inOneGroup(insert("leader"), List.of(insert("m-1"), updateOnly, insert("m-3")),
                connection -> seen.put(Thread.currentThread().getName(), counters(connection)));

        assertThat(outcomes).containsOnlyNulls();
        assertThat(groups.committed).first().isEqualTo(4);
        assertThat(seen.remove("leader")).as("the leader's: its own insert, not m-3's").containsExactly(idOf("leader"), 1);
        // each member's lease, back on its own connection: its own transaction's insert, or, for the
        // member that only updated, the connection's last insert from before (none: 0) and its 2 rows
        assertThat(seen.values()).extracting(answered -> answered[0] + "/" + answered[1])
                .containsExactlyInAnyOrder(idOf("m-1") + "/1", "0/2", idOf("m-3") + "/1");
    }

    @Test
    void aMemberWhoseLeaseWroteBeforeAnswersItsOwnCountersBeforeItsWritesNotThePreviousMembers() throws Exception {
        CountDownLatch ownWriteDone = new CountDownLatch(1);
        CountDownLatch mayBegin = new CountDownLatch(1);
        Map<String, long[]> seen = new ConcurrentHashMap<>();
        Future<Throwable> member = threads.submit(() -> {
            try (Connection connection = pool.getConnection()) {
                execute(connection, "INSERT INTO t (owner, n) VALUES ('own', 1)"); // alone: the lease's own history
                ownWriteDone.countDown();
                assertThat(mayBegin.await(10, TimeUnit.SECONDS)).isTrue();
                connection.setAutoCommit(false); // waits at its begin: it joins the group
                seen.put("before its writes", counters(connection));
                execute(connection, "UPDATE t SET n = n + 1 WHERE owner = 'nobody'");
                seen.put("after an update of no row", counters(connection));
                assertThatThrownBy(() -> queryLong(connection, "SELECT total_changes()"))
                        .as("the group's connection counts the others' writes").isInstanceOf(SQLException.class)
                        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("25000");
                connection.commit();
                connection.setAutoCommit(true);
                seen.put("after its commit", counters(connection));
                return null;
            } catch (SQLException | RuntimeException | AssertionError e) {
                return e;
            }
        });
        assertThat(ownWriteDone.await(10, TimeUnit.SECONDS)).isTrue();
        long ownId = idOf("own");
        List<Throwable> outcomes;
        try (Connection leader = pool.getConnection()) {
            leader.setAutoCommit(false);
            insert("leader").run(leader);
            Future<Throwable> before = threads.submit(() -> runMember(insert("m-1"), null));
            awaitLaneWaiters(1);
            mayBegin.countDown();
            awaitLaneWaiters(2);
            leader.commit();
            leader.setAutoCommit(true);
            outcomes = java.util.Arrays.asList(before.get(10, TimeUnit.SECONDS), member.get(10, TimeUnit.SECONDS));
        }

        assertThat(outcomes).containsOnlyNulls();
        assertThat(groups.committed).first().isEqualTo(3);
        assertThat(seen.get("before its writes")).as("its own insert, not m-1's").containsExactly(ownId, 1);
        assertThat(seen.get("after an update of no row")).containsExactly(ownId, 0);
        assertThat(seen.get("after its commit")).containsExactly(ownId, 0);
    }

    @Test
    void aMembersUpdateOfNoRowsAndAnInsertWithTheRowIdBeforeItAnswerAsOnThePlainDriver() throws Exception {
        try (Connection connection = pool.getConnection()) {
            execute(connection, "CREATE TABLE other (id INTEGER PRIMARY KEY)");
        }
        Map<String, long[]> seen = new ConcurrentHashMap<>();
        // m-1 inserts a row of t with id 2; the member then inserts id 2 into another table
        Work sameRowIdElsewhere = connection -> {
            execute(connection, "UPDATE t SET n = n + 1 WHERE owner = 'nobody'");
            seen.put("after an update of no row", counters(connection));
            execute(connection, "INSERT INTO other (id) VALUES (2)");
            seen.put("after its insert", counters(connection));
        };
        List<Throwable> outcomes = inOneGroup(insert("leader"), List.of(insert("m-1"), sameRowIdElsewhere),
                connection -> seen.put(Thread.currentThread().getName(), counters(connection)));

        assertThat(outcomes).containsOnlyNulls();
        assertThat(idOf("m-1")).isEqualTo(2);
        // its lease wrote nothing before: the last row id is what the connection was left with (here
        // m-1's), as on any reused connection; changes() is its own update's
        assertThat(seen.get("after an update of no row")).as("changes() 0, not m-1's 1").containsExactly(idOf("m-1"), 0);
        assertThat(seen.get("after its insert")).containsExactly(2, 1);
        assertThat(seen.values()).as("both members' leases after their commits, and the member before its commit")
                .filteredOn(answered -> answered[0] == 2 && answered[1] == 1).hasSize(3);
    }

    @Test
    void aMemberThatKeepsTheGroupsConnectionAnswersItsOwnCountersNotTheGroups() throws Exception {
        Map<String, long[]> seen = new ConcurrentHashMap<>();
        Work tiesItself = connection -> execute(connection, "CREATE TEMP TABLE scratch (x)"); // keeps the group's connection
        List<Throwable> outcomes = inOneGroup(insert("leader"), List.of(insert("m-1"), tiesItself),
                connection -> {
                    if (queryLong(connection, "SELECT count(*) FROM sqlite_temp_master WHERE name = 'scratch'") == 1) {
                        seen.put("kept", counters(connection));
                    }
                });

        assertThat(outcomes).containsOnlyNulls();
        assertThat(seen.get("kept")[0]).as("its own connection's last insert (none), not m-1's, on the connection it kept")
                .isZero();
    }

    /**
     * What a member runs, one text at a time, in {@link #aMembersCountersAnswerAsOnThePlainDriverWhateverItsStatementsDo}:
     * a comment before an insert's verb (first: before its lease's own first insert, the last row id
     * is what its connection was left with, as on any reused connection), an update of no row, both
     * branches of an upsert, an ignored insert,
     * failing multi-row inserts and {@code OR FAIL} updates, two statements in one text, and
     * {@code INSERT ... RETURNING} read through a query.
     */
    private static final List<String> MEMBER_SQL = List.of(
            "/* a comment first */ INSERT INTO t (owner, n) VALUES ('commented', 1)",
            "UPDATE t SET n = n + 1 WHERE owner = 'nobody'",
            "INSERT INTO t (owner, n) VALUES ('upserted', 1) ON CONFLICT (owner) DO UPDATE SET n = n + 1",
            "INSERT INTO t (owner, n) VALUES ('upserted', 1) ON CONFLICT (owner) DO UPDATE SET n = n + 1",
            "INSERT OR IGNORE INTO t (owner, n) VALUES ('commented', 1)",
            "INSERT INTO t (owner, n) VALUES ('multi-1', 1), ('multi-2', 1), ('commented', 1)",
            "UPDATE OR FAIL t SET owner = 'clash' WHERE owner IN ('leader', 'm-1')",
            "UPDATE t SET n = n + 1 WHERE owner = 'leader'; INSERT INTO t (owner, n) VALUES ('two-texts', 1)",
            "INSERT INTO t (owner, n) VALUES ('returned-1', 1), ('returned-2', 1) RETURNING id");

    /** Runs {@link #MEMBER_SQL} on {@code connection}, noting the counters after each text (and whether it failed). */
    private static List<String> runMemberSql(Connection connection) throws SQLException {
        List<String> seen = new ArrayList<>();
        for (String sql : MEMBER_SQL) {
            String outcome = "ok";
            try (java.sql.Statement statement = connection.createStatement()) {
                if (sql.endsWith("RETURNING id")) {
                    try (java.sql.ResultSet rows = statement.executeQuery(sql)) {
                        while (rows.next()) {
                            rows.getLong(1);
                        }
                    }
                } else {
                    statement.executeUpdate(sql);
                }
            } catch (SQLException e) {
                outcome = "failed";
            }
            long[] answered = counters(connection);
            seen.add(outcome + " " + answered[0] + "/" + answered[1] + " after " + sql);
        }
        return seen;
    }

    @Test
    void aMembersCountersAnswerAsOnThePlainDriverWhateverItsStatementsDo() throws Exception {
        Map<String, List<String>> seen = new ConcurrentHashMap<>();
        Work member = connection -> seen.put("member", runMemberSql(connection));
        List<Throwable> outcomes = inOneGroup(insert("leader"), List.of(insert("m-1"), member),
                connection -> {
                    long[] answered = counters(connection);
                    seen.merge("after commits", List.of(answered[0] + "/" + answered[1]), (a, b) -> {
                        List<String> both = new ArrayList<>(a);
                        both.addAll(b);
                        return both;
                    });
                });
        assertThat(outcomes).containsOnlyNulls();
        assertThat(groups.committed).first().isEqualTo(3);

        org.sqlite.SQLiteDataSource plainDriver = new org.sqlite.SQLiteDataSource();
        plainDriver.setUrl("jdbc:sqlite:" + dir.resolve("plain.db"));
        List<String> plain;
        long[] plainAfterCommit;
        try (Connection others = plainDriver.getConnection(); Connection own = plainDriver.getConnection()) {
            execute(others, "CREATE TABLE t (id INTEGER PRIMARY KEY, owner TEXT UNIQUE, n INTEGER)");
            execute(others, "INSERT INTO t (owner, n) VALUES ('leader', 1)");
            execute(others, "INSERT INTO t (owner, n) VALUES ('m-1', 1)");
            own.setAutoCommit(false);
            plain = runMemberSql(own);
            own.commit();
            own.setAutoCommit(true);
            plainAfterCommit = counters(own);
        }
        assertThat(seen.get("member")).containsExactlyElementsOf(plain);
        assertThat(seen.get("after commits")).as("m-1's lease, and the member's after its commit")
                .contains("2/1", plainAfterCommit[0] + "/" + plainAfterCommit[1]);
    }

    @Test
    void thePoolsCountersTableIsMadeAgainWhenALeasesTempStoreChangeDroppedIt() throws Exception {
        try (SqlitePool one = new SqlitePool(PoolFixtures.config(dir.resolve("one"), 1)
                .groupCommit(PoolFixtures.GROUP_WHENEVER_WAITING).build())) {
            String counters = "SELECT count(*) FROM sqlite_temp_master WHERE name = 'sqlitepool_counters'";
            try (Connection connection = one.getConnection()) {
                assertThat(queryLong(connection, counters)).as("made when the connection opened").isEqualTo(1);
                execute(connection, "PRAGMA temp_store = FILE"); // drops every temporary table
                assertThat(queryLong(connection, counters)).isZero();
            }
            try (Connection connection = one.getConnection()) { // the same connection: the pool has one
                assertThat(queryLong(connection, counters)).as("made again as the lease's settings were put back")
                        .isEqualTo(1);
            }
        }
    }

    private long idOf(String owner) throws SQLException {
        try (Connection connection = pool.getConnection()) {
            return queryLong(connection, "SELECT id FROM t WHERE owner = '" + owner + "'");
        }
    }

    @Test
    void userSavepointsInsideAMemberWork() throws Exception {
        Work nested = connection -> {
            insert("kept").run(connection);
            java.sql.Savepoint savepoint = connection.setSavepoint();
            insert("undone").run(connection);
            connection.rollback(savepoint);
            insert("kept-too").run(connection);
        };
        List<Throwable> outcomes = inOneGroup(insert("leader"), List.of(nested, insert("other")));

        assertThat(outcomes).containsOnlyNulls();
        assertThat(count("owner IN ('kept', 'kept-too', 'other', 'leader')")).isEqualTo(4);
        assertThat(count("owner = 'undone'")).isZero();
    }

    @Test
    void transactionSqlInsideAMemberIsRefusedAndTheOthersCommit() throws Exception {
        Work commitsInSql = connection -> {
            insert("before-commit-sql").run(connection);
            execute(connection, "COMMIT");
        };
        List<Throwable> outcomes = inOneGroup(insert("leader"), List.of(insert("x"), commitsInSql, insert("y")));

        assertThat(outcomes.get(1)).isInstanceOf(SQLException.class).hasMessageContaining("group commit");
        assertThat(((SQLException) outcomes.get(1)).getSQLState()).isEqualTo(SqlStates.INVALID_TRANSACTION_STATE);
        assertThat(outcomes.get(0)).isNull();
        assertThat(outcomes.get(2)).isNull();
        assertThat(count("owner IN ('leader', 'x', 'y')")).isEqualTo(3);
        assertThat(count("owner = 'before-commit-sql'")).isZero();
    }

    @Test
    void transactionSqlHiddenInATextOfSeveralStatementsOrInABatchIsRefusedInAMember() throws Exception {
        Work commitsInAText = connection -> {
            insert("before-text").run(connection);
            try (java.sql.Statement statement = connection.createStatement()) {
                statement.executeUpdate("UPDATE t SET n = n + 1 WHERE owner = 'leader'; COMMIT; BEGIN");
            }
        };
        Work commitsInABatch = connection -> {
            insert("before-batch").run(connection);
            try (java.sql.Statement statement = connection.createStatement()) {
                statement.addBatch("UPDATE t SET n = n + 1 WHERE owner = 'leader'");
                statement.addBatch("END");
                statement.executeBatch();
            }
        };
        List<Throwable> outcomes = inOneGroup(insert("leader"),
                List.of(insert("x"), commitsInAText, commitsInABatch, insert("y")));

        for (Throwable refused : List.of(outcomes.get(1), outcomes.get(2))) {
            assertThat(refused).isInstanceOf(SQLException.class).hasMessageContaining("group commit")
                    .hasMessageContaining("Nothing was run");
            assertThat(((SQLException) refused).getSQLState()).isEqualTo(SqlStates.INVALID_TRANSACTION_STATE);
        }
        assertThat(outcomes.get(0)).isNull();
        assertThat(outcomes.get(3)).isNull();
        assertThat(count("owner IN ('leader', 'x', 'y')")).isEqualTo(3);
        assertThat(count("owner IN ('before-text', 'before-batch')")).isZero();
        assertThat(count("owner = 'leader' AND n <> 1")).as("no update of the refused texts ran").isZero();
    }

    @Test
    void aMemberThatRollsBackTheWholeTransactionFailsTheGroupAndNothingIsCommitted() throws Exception {
        Work rollsBackEverything = connection -> execute(connection,
                "INSERT OR ROLLBACK INTO t (owner, n) VALUES ('leader', 1)");
        List<Throwable> outcomes = inOneGroup(insert("leader"),
                List.of(insert("before"), rollsBackEverything, insert("after")));

        assertThat(outcomes.get(0)).as("earlier member").isInstanceOf(SQLException.class)
                .hasMessageContaining("group commit");
        assertThat(outcomes.get(1)).as("the member that rolled back").isInstanceOf(SQLException.class);
        assertThat(count("owner = 'before'")).isZero();
        assertThat(groups.failed).isNotEmpty();
    }

    @Test
    void aMemberThatKeepsAStatementOpenOrMakesATempTableKeepsUsingThemAfterItsCommit() throws Exception {
        Map<Connection, PreparedStatement> kept = new ConcurrentHashMap<>();
        Work keepsOpen = connection -> {
            PreparedStatement statement = connection.prepareStatement("INSERT INTO t (owner, n) VALUES (?, 1)");
            statement.setString(1, "kept-open-" + Thread.currentThread().getName());
            statement.executeUpdate();
            kept.put(connection, statement);
        };
        Work makesTempTable = connection -> {
            execute(connection, "CREATE TEMP TABLE scratch (x)");
            execute(connection, "INSERT INTO scratch VALUES (1)");
            insert("temp-maker").run(connection);
        };
        Work reuse = connection -> {
            PreparedStatement statement = kept.remove(connection);
            if (statement != null) {
                statement.setString(1, "reused-" + Thread.currentThread().getName());
                statement.executeUpdate();
                statement.close();
            } else if (queryLong(connection, "SELECT count(*) FROM sqlite_temp_master WHERE name = 'scratch'") == 1) {
                insert("temp-after-" + queryLong(connection, "SELECT count(*) FROM scratch")).run(connection);
            }
        };
        List<Throwable> outcomes = inOneGroup(insert("leader"),
                List.of(insert("m1"), keepsOpen, insert("m2"), makesTempTable, insert("m3")), reuse);

        assertThat(leaderOutcome).isNull();
        assertThat(outcomes).containsOnlyNulls();
        assertThat(count("owner IN ('leader', 'm1', 'm2', 'm3', 'temp-maker', 'temp-after-1')")).isEqualTo(6);
        assertThat(count("owner LIKE 'kept-open-%'")).isEqualTo(1);
        assertThat(count("owner LIKE 'reused-%'")).isEqualTo(1);
        assertThat(leaderNextOutcome).isNull();
        assertThat(count("owner LIKE 'leader-next-%'")).isEqualTo(1);
        assertThat(groups.committed).as("a member that keeps a tie ends its group").hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void aCommitThatFailsReachesEveryMemberAndNothingIsCommitted() throws Exception {
        try (Connection connection = pool.getConnection()) {
            execute(connection, "CREATE TABLE parent (id INTEGER PRIMARY KEY)");
            execute(connection, "CREATE TABLE child (parent_id INTEGER REFERENCES parent(id) "
                    + "DEFERRABLE INITIALLY DEFERRED)");
        }
        Work orphan = connection -> execute(connection, "INSERT INTO child VALUES (42)");
        List<Throwable> outcomes = inOneGroup(insert("leader"), List.of(insert("p"), orphan, insert("q")));

        assertThat(leaderOutcome).isInstanceOf(SQLException.class).hasMessageContaining("FOREIGN KEY");
        assertThat(outcomes).allSatisfy(e -> assertThat(e).isInstanceOf(SQLException.class)
                .hasMessageContaining("FOREIGN KEY"));
        assertThat(count("owner IN ('leader', 'p', 'q')")).isZero();
        assertThat(groups.failed).containsExactly(4);
    }

    /**
     * On the plain driver a failed {@code COMMIT} leaves the transaction open, and a second
     * {@code commit()} fails again (or commits the work, once fixed). The group rolled everything
     * back: a second {@code commit()} must not report an empty transaction committed.
     */
    @Test
    void aCommitCalledAgainAfterTheGroupsCommitFailedFailsAndCommitsNothing() throws Exception {
        try (Connection connection = pool.getConnection()) {
            execute(connection, "CREATE TABLE parent (id INTEGER PRIMARY KEY)");
            execute(connection, "CREATE TABLE child (parent_id INTEGER REFERENCES parent(id) "
                    + "DEFERRABLE INITIALLY DEFERRED)");
        }
        Map<String, Throwable> retried = new ConcurrentHashMap<>();
        Work retries = connection -> {
            insert("retrier").run(connection);
            try {
                connection.commit();
            } catch (SQLException first) {
                try {
                    connection.commit();
                    retried.put("second commit", new AssertionError("returned"));
                } catch (SQLException second) {
                    retried.put("second commit", second);
                }
                throw first;
            }
        };
        Work orphan = connection -> execute(connection, "INSERT INTO child VALUES (42)");
        leaderRetriesCommit = true;
        List<Throwable> outcomes = inOneGroup(insert("leader"), List.of(orphan, retries));

        assertThat(outcomes).allSatisfy(e -> assertThat(e).hasMessageContaining("FOREIGN KEY"));
        assertThat(retried.get("second commit")).as("the member's second commit()").isInstanceOf(SQLException.class)
                .hasMessageContaining("nothing was committed").extracting(Throwable::getCause).isSameAs(outcomes.get(1));
        assertThat(leaderRetryOutcome).as("the leader's second commit()").isInstanceOf(SQLException.class)
                .hasMessageContaining("nothing was committed");
        assertThat(count("owner IN ('leader', 'retrier')")).isZero();
    }

    @Test
    void aSecondConnectionOfAMembersThreadWritesBeforeTheMembersFirstStatement() throws Exception {
        // REQUIRES_NEW at the start of a transaction, or JPA fetching ids on its own connection
        Work writesElsewhereFirst = connection -> {
            try (Connection second = pool.getConnection()) {
                second.setAutoCommit(false);
                insert("requires-new").run(second);
                second.commit();
                second.setAutoCommit(true);
            }
            insert("outer").run(connection);
        };
        List<Throwable> outcomes = inOneGroup(insert("leader"), List.of(insert("m1"), writesElsewhereFirst,
                insert("m2")));

        assertThat(leaderOutcome).isNull();
        assertThat(outcomes).containsOnlyNulls();
        assertThat(count("owner IN ('leader', 'm1', 'requires-new', 'outer', 'm2')")).isEqualTo(5);
        assertThat(groups.committed).as("the group committed without the evicted member").first().isEqualTo(2);
    }

    @Test
    void aLeaseClosedInTheMiddleOfItsMembershipRollsBackOnlyItsPart() throws Exception {
        Work abandons = connection -> {
            insert("abandoned").run(connection);
            connection.close(); // neither committed nor rolled back
        };
        List<Throwable> outcomes = inOneGroup(insert("leader"), List.of(insert("m1"), abandons, insert("m2")));

        assertThat(leaderOutcome).isNull();
        assertThat(outcomes.get(0)).isNull();
        assertThat(outcomes.get(2)).isNull();
        assertThat(count("owner IN ('leader', 'm1', 'm2')")).isEqualTo(3);
        assertThat(count("owner = 'abandoned'")).isZero();
    }

    @Test
    void aSingleTransactionFormsNoGroup() throws Exception {
        for (int i = 0; i < 20; i++) {
            try (Connection connection = pool.getConnection()) {
                connection.setAutoCommit(false);
                insert("alone-" + i).run(connection);
                connection.commit();
            }
        }
        assertThat(count("owner LIKE 'alone-%'")).isEqualTo(20);
        assertThat(groups.ended.sum()).isZero();
    }

    @Test
    void returningAndTriggersWorkInsideAMember() throws Exception {
        try (Connection connection = pool.getConnection()) {
            execute(connection, "CREATE TABLE log (owner TEXT)");
            execute(connection, "CREATE TRIGGER t_log AFTER INSERT ON t BEGIN INSERT INTO log VALUES (new.owner); END");
        }
        Map<String, long[]> returned = new ConcurrentHashMap<>();
        Work returning = connection -> {
            String owner = "ret-" + Thread.currentThread().getName();
            try (PreparedStatement statement = connection.prepareStatement(
                    "INSERT INTO t (owner, n) VALUES (?, 1) RETURNING id")) {
                statement.setString(1, owner);
                try (var rs = statement.executeQuery()) {
                    rs.next();
                    returned.put(owner, new long[] {rs.getLong(1),
                            0L});
                }
            }
            returned.get(owner)[1] = queryLong(connection, "SELECT id FROM t WHERE owner = '" + owner + "'");
        };
        List<Throwable> outcomes = inOneGroup(insert("leader"), List.of(returning, returning));

        assertThat(outcomes).containsOnlyNulls();
        assertThat(returned).hasSize(2).allSatisfy((owner, ids) -> assertThat(ids[0]).isEqualTo(ids[1]));
        assertThat(count("owner LIKE 'ret-%'")).isEqualTo(2);
        try (Connection connection = pool.getConnection()) {
            assertThat(queryLong(connection, "SELECT count(*) FROM log WHERE owner LIKE 'ret-%'")).isEqualTo(2);
        }
        assertThat(groups.committed).containsExactly(3);
    }

    @Test
    void aMemberThatSetsAPragmaKeepsItForItsLeaseAndTheOthersDoNotSeeIt() throws Exception {
        String configured;
        try (Connection connection = pool.getConnection()) {
            configured = PoolFixtures.pragma(connection, "cache_size");
        }
        Map<String, String> seen = new ConcurrentHashMap<>();
        Work setsPragma = connection -> {
            execute(connection, "PRAGMA cache_size = 123");
            insert("pragma-setter").run(connection);
        };
        Work readsAfter = connection -> seen.put(Thread.currentThread().getName(),
                PoolFixtures.pragma(connection, "cache_size"));
        List<Throwable> outcomes = inOneGroup(insert("leader"), List.of(insert("m1"), setsPragma, insert("m2")),
                readsAfter);

        assertThat(outcomes).containsOnlyNulls();
        assertThat(seen.values()).containsExactlyInAnyOrder(configured, "123", configured);
        assertThat(count("owner IN ('leader', 'm1', 'pragma-setter', 'm2')")).isEqualTo(4);
    }

    @Test
    void aFullDatabaseInTheMiddleOfAGroupLeavesEachCallersOutcomeTrue() throws Exception {
        pool.close();
        pool = new SqlitePool(PoolFixtures.config(dir, MEMBERS + 2)
                .pragmas(io.github.sqlitepool.pool.config.PragmaSettings.builder()
                        .extra(Map.of("max_page_count", "14")).build())
                .groupCommit(PoolFixtures.GROUP_WHENEVER_WAITING).build());
        pool.addListener(groups);
        String page = "x".repeat(3000);
        Work big = connection -> {
            try (PreparedStatement statement = connection.prepareStatement("INSERT INTO t (owner, n) VALUES (?, ?)")) {
                statement.setString(1, "big-" + Thread.currentThread().getName() + "-" + page);
                statement.setInt(2, 1);
                statement.executeUpdate();
                statement.setString(1, "big2-" + Thread.currentThread().getName() + "-" + page);
                statement.executeUpdate();
            }
        };
        List<Work> members = List.of(big, big, big, big, big, big);
        List<Throwable> outcomes = inOneGroup(insert("leader"), members);

        assertThat(outcomes).as("the database filled up: someone was refused").anySatisfy(e -> assertThat(e)
                .isInstanceOf(SQLException.class));
        // whatever SQLite did (undo the statement, or the whole transaction), each caller was told the truth
        long committedMembers = outcomes.stream().filter(e -> e == null).count();
        assertThat(count("owner LIKE 'big-%'")).as("members whose commit returned").isEqualTo(committedMembers);
        assertThat(count("owner LIKE 'big2-%'")).isEqualTo(committedMembers);
        assertThat(count("owner = 'leader'")).isEqualTo(leaderOutcome == null ? 1 : 0);
        try (Connection connection = pool.getConnection()) {
            assertThat(PoolFixtures.queryString(connection, "PRAGMA integrity_check")).isEqualTo("ok");
        }
    }

    @Test
    void noGroupFormsWhileCommitsAreFasterThanTheMinimumCommitTime() throws Exception {
        pool.close();
        // no COMMIT here takes a second: each transaction commits alone, as with group commit off
        pool = new SqlitePool(PoolFixtures.config(dir, MEMBERS + 2)
                .groupCommit(new GroupCommitSettings(true, 32, java.time.Duration.ofSeconds(1),
                        java.time.Duration.ofSeconds(1))).build());
        pool.addListener(groups);
        List<Throwable> outcomes = inOneGroup(insert("leader"), List.of(insert("a"), insert("b"), insert("c")));

        assertThat(leaderOutcome).isNull();
        assertThat(outcomes).containsOnlyNulls();
        assertThat(count("owner IN ('leader', 'a', 'b', 'c')")).isEqualTo(4);
        assertThat(groups.ended.sum()).isZero();
    }

    /** Records the groups that ended, by size. */
    private static final class Groups implements PoolListener {

        final List<Integer> committed = java.util.Collections.synchronizedList(new ArrayList<>());

        final List<Integer> failed = java.util.Collections.synchronizedList(new ArrayList<>());

        final LongAdder ended = new LongAdder();

        @Override
        public void groupCommitEnded(int members, boolean committedOk) {
            (committedOk ? committed : failed).add(members);
            ended.increment();
        }
    }
}

package io.github.sqlitepool.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.sql.DataSource;

import io.github.sqlitepool.pool.SqlitePool;
import io.github.sqlitepool.pool.config.GroupCommitSettings;
import io.github.sqlitepool.pool.config.SqlitePoolConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.jdbc.support.SQLExceptionSubclassTranslator;
import org.springframework.jdbc.support.SQLStateSQLExceptionTranslator;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The transaction patterns of issue 14, each on the pool and, where the plain driver can run it,
 * on sqlite-jdbc's own {@link SQLiteDataSource} (WAL, busy_timeout 5 s, no pool) for comparison:
 * what works there must work on the pool, and where SQLite itself can only fail, the pool fails
 * at once and says what to change.
 */
class InvisibleWriteLaneTest {

    private static final String POOL = "sqlite-pool";

    private static final String PLAIN = "plain sqlite-jdbc";

    /** The pool with group commit on (issue 15): every pattern must work there too. */
    private static final String POOL_GROUPED = "sqlite-pool, group commit";

    @TempDir
    Path dir;

    private SqlitePool pool;

    private final ExecutorService executor = Executors.newCachedThreadPool();

    @AfterEach
    void stop() throws InterruptedException {
        executor.shutdownNow();
        assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        if (pool != null) {
            pool.close();
        }
    }

    static Stream<Arguments> dataSources() {
        return Stream.of(Arguments.of(POOL), Arguments.of(PLAIN), Arguments.of(POOL_GROUPED));
    }

    private DataSource dataSource(String kind) {
        return dataSource(kind, 8);
    }

    private DataSource dataSource(String kind, int connections) {
        String url = "jdbc:sqlite:" + dir.resolve("invisible.db");
        DataSource source;
        if (POOL.equals(kind) || POOL_GROUPED.equals(kind)) {
            pool = new SqlitePool(SqlitePoolConfig.builder().url(url).maxConnections(connections)
                    .acquireTimeout(Duration.ofSeconds(30))
                    .groupCommit(GroupCommitSettings.DEFAULTS.withEnabled(POOL_GROUPED.equals(kind)).withMinCommitTime(java.time.Duration.ZERO)).build());
            source = pool;
        } else {
            SQLiteConfig config = new SQLiteConfig();
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            config.setBusyTimeout(5_000);
            SQLiteDataSource plain = new SQLiteDataSource(config);
            plain.setUrl(url);
            source = plain;
        }
        JdbcTemplate jdbc = new JdbcTemplate(source);
        jdbc.execute("CREATE TABLE IF NOT EXISTS item (id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
        jdbc.execute("CREATE TABLE IF NOT EXISTS counter (id INTEGER PRIMARY KEY, v INTEGER NOT NULL)");
        jdbc.update("INSERT OR REPLACE INTO counter VALUES (1, 0)");
        return source;
    }

    private static void update(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate(sql);
        }
    }

    private static long count(DataSource source, String table) {
        return new JdbcTemplate(source).queryForObject("SELECT count(*) FROM " + table, Long.class);
    }

    private static long counter(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT v FROM counter WHERE id = 1")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void assertLaneFree() {
        if (pool != null) {
            assertThat(pool.writeLaneStats().holderThread()).as("lane holder").isNull();
            assertThat(pool.stats().active()).as("leases").isZero();
        }
    }

    /** Row 6, the minimal form of rows 1 to 3. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dataSources")
    void row6SecondConnectionOfTheSameThreadWritesWhileTheFirstHasATransactionOpen(String kind) throws Exception {
        DataSource source = dataSource(kind);
        try (Connection c1 = source.getConnection()) {
            c1.setAutoCommit(false);
            try (Connection c2 = source.getConnection()) {
                c2.setAutoCommit(false);
                update(c2, "INSERT INTO item (name) VALUES ('from c2')");
                c2.commit();
                c2.setAutoCommit(true);
            }
            c1.commit();
            c1.setAutoCommit(true);
        }
        assertThat(count(source, "item")).isEqualTo(1);
        assertLaneFree();
    }

    /**
     * Row 0's mechanism: an id generator allocates on a second connection, in its own transaction,
     * while the save's transaction is open and has done nothing, or only read; then the save writes.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dataSources")
    void row0IsolatedIdAllocationWhileTheOuterTransactionHasDoneNothingOrOnlyRead(String kind) throws Exception {
        DataSource source = dataSource(kind);
        for (boolean outerReadFirst : new boolean[] {false, true}) {
            try (Connection c1 = source.getConnection()) {
                c1.setAutoCommit(false);
                if (outerReadFirst) {
                    assertThat(count(c1)).isNotNegative();
                }
                try (Connection c2 = source.getConnection()) {
                    c2.setAutoCommit(false);
                    update(c2, "UPDATE counter SET v = v + 50 WHERE id = 1"); // the next id block
                    c2.commit();
                    c2.setAutoCommit(true);
                }
                if (!outerReadFirst) {
                    update(c1, "INSERT INTO item (name) VALUES ('saved')"); // the save, after the allocation
                }
                c1.commit();
                c1.setAutoCommit(true);
            }
        }
        assertThat(count(source, "item")).isEqualTo(1);
        try (Connection c = source.getConnection()) {
            assertThat(counter(c)).isEqualTo(100);
        }
        assertLaneFree();
    }

    private static long count(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM item")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Row 1's mechanism: a cursor reader with auto-commit off that only reads, for the whole step,
     * while the same thread's chunk transactions write (Spring Batch's JdbcCursorItemReader).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dataSources")
    void row1CursorReaderWithAutoCommitOffWhileTheSameThreadsChunkTransactionsWrite(String kind) throws Exception {
        DataSource source = dataSource(kind);
        JdbcTemplate jdbc = new JdbcTemplate(source);
        jdbc.execute("CREATE TABLE source_row (id INTEGER PRIMARY KEY, v INTEGER NOT NULL)");
        jdbc.execute("CREATE TABLE target_row (id INTEGER PRIMARY KEY, v INTEGER NOT NULL)");
        jdbc.execute("WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 1000) "
                + "INSERT INTO source_row SELECT x, x * 2 FROM n");
        TransactionTemplate chunks = new TransactionTemplate(new JdbcTransactionManager(source));
        int read = 0;
        try (Connection reader = source.getConnection()) {
            reader.setAutoCommit(false);
            try (PreparedStatement cursor = reader.prepareStatement("SELECT id, v FROM source_row ORDER BY id");
                    ResultSet rows = cursor.executeQuery()) {
                List<long[]> chunk = new ArrayList<>();
                while (rows.next()) {
                    chunk.add(new long[] {rows.getLong(1), rows.getLong(2)});
                    read++;
                    if (chunk.size() == 100) {
                        writeChunk(chunks, jdbc, chunk);
                    }
                }
                writeChunk(chunks, jdbc, chunk);
            }
            reader.commit();
            reader.setAutoCommit(true);
        }
        assertThat(read).isEqualTo(1000);
        assertThat(count(source, "target_row")).isEqualTo(1000);
        assertLaneFree();
    }

    private static void writeChunk(TransactionTemplate chunks, JdbcTemplate jdbc, List<long[]> chunk) {
        chunks.executeWithoutResult(status -> {
            // a job repository reads and updates its step execution in the same transaction
            jdbc.queryForObject("SELECT count(*) FROM target_row", Long.class);
            jdbc.batchUpdate("INSERT INTO target_row (id, v) VALUES (?, ?)", chunk, chunk.size(),
                    (ps, row) -> {
                        ps.setLong(1, row[0]);
                        ps.setLong(2, row[1]);
                    });
        });
        chunk.clear();
    }

    /** Row 2: an audit record written in REQUIRES_NEW before the outer transaction's own work. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dataSources")
    void row2RequiresNewWriteAsTheFirstCallThenTheWork(String kind) {
        DataSource source = dataSource(kind);
        JdbcTemplate jdbc = new JdbcTemplate(source);
        TransactionTemplate outer = new TransactionTemplate(new JdbcTransactionManager(source));
        TransactionTemplate requiresNew = new TransactionTemplate(outer.getTransactionManager());
        requiresNew.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        outer.executeWithoutResult(status -> {
            requiresNew.executeWithoutResult(audit -> jdbc.update("INSERT INTO item (name) VALUES ('audit')"));
            jdbc.update("INSERT INTO item (name) VALUES ('work')");
        });
        assertThat(jdbc.queryForList("SELECT name FROM item ORDER BY id", String.class))
                .containsExactly("audit", "work");
        assertLaneFree();
    }

    /**
     * Row 2 on a pool whose every connection is held by a thread with an open transaction that
     * waits for a second one (here: one connection): the reserve connection lets it finish.
     */
    @Test
    void row2OnAPoolOfOneConnectionUsesTheReserveForTheNestedTransaction() {
        DataSource source = dataSource(POOL, 1);
        JdbcTemplate jdbc = new JdbcTemplate(source);
        TransactionTemplate outer = new TransactionTemplate(new JdbcTransactionManager(source));
        TransactionTemplate requiresNew = new TransactionTemplate(outer.getTransactionManager());
        requiresNew.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> outer.executeWithoutResult(status -> {
            requiresNew.executeWithoutResult(audit -> jdbc.update("INSERT INTO item (name) VALUES ('audit')"));
            jdbc.update("INSERT INTO item (name) VALUES ('work')");
        }), "the nested transaction waited for the pool's only connection, held by its own outer transaction");
        assertThat(count(source, "item")).isEqualTo(2);
        assertThat(pool.stats().reserveLeases()).isEqualTo(1);
        assertLaneFree();
    }

    /**
     * Row 4: a transaction that is not read-only reads, then waits for something else for a long
     * time; other threads' writes proceed meanwhile (on the pool after at most the lane's bound).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dataSources")
    void row4ReadThenThinkDoesNotStopOtherWriters(String kind) throws Exception {
        DataSource source = dataSource(kind);
        JdbcTemplate jdbc = new JdbcTemplate(source);
        TransactionTemplate transactions = new TransactionTemplate(new JdbcTransactionManager(source));
        CountDownLatch hasRead = new CountDownLatch(1);
        CountDownLatch othersDone = new CountDownLatch(1);
        Future<Long> thinker = executor.submit(() -> transactions.execute(status -> {
            Long value = jdbc.queryForObject("SELECT v FROM counter WHERE id = 1", Long.class);
            hasRead.countDown();
            try {
                // the remote call: it returns once the others have written (or after 30 s, failing below)
                othersDone.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return value;
        }));
        assertThat(hasRead.await(10, TimeUnit.SECONDS)).isTrue();
        // far below the 30 s they would wait for the thinker, far above 40 commits on a slow disk
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            for (int i = 0; i < 20; i++) {
                transactions.executeWithoutResult(status -> jdbc.update("UPDATE counter SET v = v + 1 WHERE id = 1"));
                jdbc.update("INSERT INTO item (name) VALUES ('other')");
            }
        }, "writers waited for a transaction that only read");
        othersDone.countDown();
        assertThat(thinker.get(10, TimeUnit.SECONDS)).isZero();
        assertThat(jdbc.queryForObject("SELECT v FROM counter WHERE id = 1", Long.class)).isEqualTo(20);
        assertLaneFree();
        if (pool != null) {
            assertThat(pool.writeLaneStats().revocations()).as("the thinker's hold was revoked").isEqualTo(1);
        }
    }

    /**
     * Row 4, continued: if the thinker then writes after the others committed, SQLite would refuse
     * the upgrade; the pool fails at once with SQLState 40001, which Spring translates to a
     * ConcurrencyFailureException, and counts it. (The plain driver fails with SQLITE_BUSY_SNAPSHOT.)
     */
    @Test
    void aTransactionThatLostTheLaneAndWritesAfterAnotherCommitIsASerializationFailure() throws Exception {
        DataSource source = dataSource(POOL);
        JdbcTemplate jdbc = new JdbcTemplate(source);
        TransactionTemplate transactions = new TransactionTemplate(new JdbcTransactionManager(source));
        CountDownLatch hasRead = new CountDownLatch(1);
        CountDownLatch otherCommitted = new CountDownLatch(1);
        Future<?> thinker = executor.submit(() -> transactions.executeWithoutResult(status -> {
            long value = jdbc.queryForObject("SELECT v FROM counter WHERE id = 1", Long.class);
            hasRead.countDown();
            try {
                otherCommitted.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            jdbc.update("UPDATE counter SET v = ? WHERE id = 1", value + 1);
        }));
        assertThat(hasRead.await(10, TimeUnit.SECONDS)).isTrue();
        jdbc.update("UPDATE counter SET v = v + 10 WHERE id = 1"); // waits for the bound, then revokes
        otherCommitted.countDown();
        assertThatThrownBy(() -> thinker.get(10, TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(CannotAcquireLockException.class)
                .isInstanceOf(ConcurrencyFailureException.class)
                .hasMessageContaining("committed since its first read")
                .hasMessageContaining("retry")
                .rootCause()
                .hasFieldOrPropertyWithValue("SQLState", "40001");
        assertThat(jdbc.queryForObject("SELECT v FROM counter WHERE id = 1", Long.class))
                .as("the other writer's update stands, the stale one was refused").isEqualTo(10);
        assertThat(pool.writeLaneStats().serializationFailures()).isEqualTo(1);
        assertLaneFree();
    }

    @Test
    void serializationFailureTranslatesToAConcurrencyFailureWithEitherOfSpringsTranslators() throws Exception {
        DataSource source = dataSource(POOL);
        SQLException failure = serializationFailure(source);
        assertThat(failure.getSQLState()).isEqualTo("40001");
        DataAccessException bySubclass = new SQLExceptionSubclassTranslator().translate("write", null, failure);
        DataAccessException byState = new SQLStateSQLExceptionTranslator().translate("write", null, failure);
        assertThat(bySubclass).isInstanceOf(CannotAcquireLockException.class);
        assertThat(byState).isInstanceOf(CannotAcquireLockException.class);
        assertThat(bySubclass).isInstanceOf(ConcurrencyFailureException.class);
    }

    /** A transaction on c1 reads, the same thread writes and commits through c2, then c1 writes. */
    private SQLException serializationFailure(DataSource source) throws Exception {
        try (Connection c1 = source.getConnection()) {
            c1.setAutoCommit(false);
            assertThat(counter(c1)).isZero();
            try (Connection c2 = source.getConnection()) {
                update(c2, "UPDATE counter SET v = v + 1 WHERE id = 1"); // revokes c1's hold at once
            }
            try {
                update(c1, "UPDATE counter SET v = v + 1 WHERE id = 1");
                throw new AssertionError("the stale write was not refused");
            } catch (SQLException e) {
                c1.rollback();
                c1.setAutoCommit(true);
                return e;
            }
        }
    }

    @Test
    void theSameStaleWriteOnThePlainDriverFailsWithSqliteBusySnapshot() throws Exception {
        DataSource source = dataSource(PLAIN);
        Throwable failure = serializationFailure(source);
        assertThat(failure).hasMessageContaining("SQLITE_BUSY_SNAPSHOT");
    }

    /**
     * Row 5: a thread in a write transaction asks for a second connection while every other
     * connection is leased by a thread waiting for the lane; it gets the reserve connection.
     */
    @Test
    void row5TheLaneHolderGetsASecondConnectionWhileAllOthersWaitForTheLane() throws Exception {
        DataSource source = dataSource(POOL, 3);
        JdbcTemplate jdbc = new JdbcTemplate(source);
        TransactionTemplate transactions = new TransactionTemplate(new JdbcTransactionManager(source));
        TransactionTemplate requiresNewRead = new TransactionTemplate(transactions.getTransactionManager());
        requiresNewRead.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        requiresNewRead.setReadOnly(true);
        CountDownLatch wrote = new CountDownLatch(1);
        CountDownLatch othersWaiting = new CountDownLatch(1);
        Future<Long> holder = executor.submit(() -> transactions.execute(status -> {
            jdbc.update("UPDATE counter SET v = v + 1 WHERE id = 1");
            wrote.countDown();
            try {
                othersWaiting.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return requiresNewRead.execute(inner -> jdbc.queryForObject("SELECT count(*) FROM item", Long.class));
        }));
        assertThat(wrote.await(10, TimeUnit.SECONDS)).isTrue();
        List<Future<?>> writers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            writers.add(executor.submit(() -> transactions.executeWithoutResult(
                    status -> jdbc.update("INSERT INTO item (name) VALUES ('waiting writer')"))));
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> pool.writeLaneStats().waiting() == 2 && pool.stats().idle() == 0);
        othersWaiting.countDown();
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            assertThat(holder.get()).isZero();
            for (Future<?> writer : writers) {
                writer.get();
            }
        });
        assertThat(count(source, "item")).isEqualTo(2);
        assertThat(pool.stats().reserveLeases()).isEqualTo(1);
        assertLaneFree();
    }

    /**
     * Where SQLite can only fail: a thread whose transaction has written writes through a second
     * connection (REQUIRES_NEW after the outer write; JPA fetching an id block after the
     * transaction wrote). The pool fails at once (acquire-timeout is 30 s) and says what to change.
     */
    @Test
    void aSecondWriteTransactionOfAThreadWhoseFirstHasWrittenFailsFastWithWhatToChange() {
        DataSource source = dataSource(POOL);
        JdbcTemplate jdbc = new JdbcTemplate(source);
        TransactionTemplate transactions = new TransactionTemplate(new JdbcTransactionManager(source));
        TransactionTemplate requiresNew = new TransactionTemplate(transactions.getTransactionManager());
        requiresNew.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThatThrownBy(
                () -> transactions.executeWithoutResult(outer -> {
                    jdbc.update("INSERT INTO item (name) VALUES ('entity 51')");
                    requiresNew.executeWithoutResult(
                            idBlock -> jdbc.update("UPDATE counter SET v = v + 50 WHERE id = 1"));
                }))
                .hasStackTraceContaining("waiting could never succeed")
                .hasStackTraceContaining("GenerationType.IDENTITY")
                .hasStackTraceContaining("allocationSize"));
        assertThat(count(source, "item")).isZero();
        assertLaneFree();
    }
}

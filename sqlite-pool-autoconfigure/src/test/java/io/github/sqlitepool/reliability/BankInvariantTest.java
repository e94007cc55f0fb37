package io.github.sqlitepool.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import io.github.sqlitepool.pool.PoolFixtures;
import io.github.sqlitepool.pool.PoolStats;
import io.github.sqlitepool.pool.SqlitePool;
import io.github.sqlitepool.pool.WriteLaneStats;
import io.github.sqlitepool.pool.config.GroupCommitSettings;
import io.github.sqlitepool.pool.config.SqlitePoolConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The bank test: accounts with a fixed total, 64 threads moving money between them through the
 * pool (raw JDBC and Spring {@link TransactionTemplate}), while the harness throws in the middle
 * of transactions, interrupts threads (waiting ones included), closes leases twice, closes them
 * with the transaction neither committed nor rolled back, and runs read-only balance scans. One
 * Spring transfer in twenty first writes an audit record in its own {@code REQUIRES_NEW}
 * transaction, and one in twenty reads the balances in a {@code REQUIRES_NEW} transaction after
 * its first update, while holding the write lane (issue 14, row 5: neither may wait behind the
 * threads that wait for the lane, so no acquire timeout may occur).
 * Afterwards the total is unchanged, every scan saw exactly the total, no lease or write-lane
 * hold leaked and no thread is stuck. Run with group commit off, on for transactions, and on for
 * auto-commit writes too: then threads also move money with one auto-commit {@code UPDATE} and
 * insert audit records through {@code JdbcTemplate} with a {@link GeneratedKeyHolder}, whose key
 * must name the record that thread inserted.
 *
 * <p>Runs {@value #DEFAULT_SECONDS} s; {@code -Dsqlite.pool.soak.bank-seconds=N} (the {@code soak}
 * Maven profile) runs it longer.
 */
class BankInvariantTest {

    private static final Logger log = LoggerFactory.getLogger(BankInvariantTest.class);

    private static final int DEFAULT_SECONDS = 5;

    private static final int THREADS = 64;

    private static final int ACCOUNTS = 50;

    private static final long OPENING_BALANCE = 1_000;

    private static final long TOTAL = ACCOUNTS * OPENING_BALANCE;

    private static final int MAX_CONNECTIONS = 8;

    @TempDir
    Path dir;

    private final LongAdder committed = new LongAdder();

    private final LongAdder injected = new LongAdder();

    private final LongAdder abandoned = new LongAdder();

    private final LongAdder interrupted = new LongAdder();

    private final LongAdder doubleCloses = new LongAdder();

    private final LongAdder scans = new LongAdder();

    private final LongAdder audits = new LongAdder();

    private final LongAdder nestedReads = new LongAdder();

    private final LongAdder autoCommitTransfers = new LongAdder();

    private final LongAdder keyedAudits = new LongAdder();

    private final Queue<String> wrongKeys = new ConcurrentLinkedQueue<>();

    private final Queue<Long> wrongScans = new ConcurrentLinkedQueue<>();

    private final Queue<Throwable> unexpected = new ConcurrentLinkedQueue<>();

    private volatile boolean stop;

    private TransactionTemplate requiresNew;

    /** What group commit groups in a run. */
    enum Grouping {
        OFF, TRANSACTIONS, AUTO_COMMIT_WRITES_TOO
    }

    @ParameterizedTest(name = "group commit {0}")
    @EnumSource(Grouping.class)
    void moneyIsNeitherCreatedNorDestroyedUnderChaos(Grouping grouping) throws Exception {
        long seconds = Long.getLong("sqlite.pool.soak.bank-seconds", DEFAULT_SECONDS);
        boolean groupCommit = grouping != Grouping.OFF;
        boolean autoCommitWrites = grouping == Grouping.AUTO_COMMIT_WRITES_TOO;
        SqlitePoolConfig config = SqlitePoolConfig.builder().url("jdbc:sqlite:" + dir.resolve("bank.db"))
                .maxConnections(MAX_CONNECTIONS).acquireTimeout(Duration.ofSeconds(30))
                .groupCommit(GroupCommitSettings.DEFAULTS.withEnabled(groupCommit).withMinCommitTime(Duration.ZERO)
                        .withAutoCommitWrites(autoCommitWrites)).build();
        try (SqlitePool pool = new SqlitePool(config)) {
            openAccounts(pool);
            LongAdder groupsCommitted = new LongAdder();
            pool.addListener(new io.github.sqlitepool.pool.PoolListener() {
                @Override
                public void groupCommitEnded(int members, boolean committedAll) {
                    if (committedAll) {
                        groupsCommitted.increment();
                    }
                }
            });
            JdbcTemplate jdbc = new JdbcTemplate(pool);
            TransactionTemplate writes = new TransactionTemplate(new JdbcTransactionManager(pool));
            TransactionTemplate reads = new TransactionTemplate(new JdbcTransactionManager(pool));
            reads.setReadOnly(true);
            requiresNew = new TransactionTemplate(writes.getTransactionManager());
            requiresNew.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);

            ExecutorService workers = Executors.newFixedThreadPool(THREADS);
            Queue<Thread> workerThreads = new ConcurrentLinkedQueue<>();
            CountDownLatch started = new CountDownLatch(THREADS);
            for (int t = 0; t < THREADS; t++) {
                workers.submit(() -> {
                    workerThreads.add(Thread.currentThread());
                    started.countDown();
                    while (!stop) {
                        step(pool, jdbc, writes, reads, autoCommitWrites);
                    }
                });
            }
            started.await();
            AtomicLong interrupts = new AtomicLong();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            List<Thread> threads = List.copyOf(workerThreads);
            while (System.nanoTime() - end < 0) {
                // most of the 64 threads are waiting for a connection or the lane at any moment
                threads.get(ThreadLocalRandom.current().nextInt(threads.size())).interrupt();
                interrupts.incrementAndGet();
                Thread.sleep(2);
            }
            stop = true;
            workers.shutdown();
            if (!workers.awaitTermination(60, TimeUnit.SECONDS)) {
                String dump = threadDump();
                workers.shutdownNow();
                fail("workers did not finish within 60 s of the stop; pool " + pool.stats() + ", lane "
                        + pool.writeLaneStats() + "\n" + dump);
            }

            log.info("Bank: {} s, {} threads, {} commits, {} injected failures, {} abandoned transactions, "
                    + "{} interrupted operations ({} interrupts sent), {} double closes, {} read-only scans, "
                    + "{} REQUIRES_NEW audit writes, {} REQUIRES_NEW reads; {}; {}",
                    seconds, THREADS, committed.sum(), injected.sum(), abandoned.sum(), interrupted.sum(),
                    interrupts.get(), doubleCloses.sum(), scans.sum(), audits.sum(), nestedReads.sum(), pool.stats(),
                    pool.writeLaneStats());
            assertThat(unexpected).as("errors other than the injected ones").isEmpty();
            assertThat(wrongScans).as("read-only scans that saw a total other than " + TOTAL).isEmpty();
            assertThat(wrongKeys).as("generated keys that named another thread's record").isEmpty();
            assertThat(jdbc.queryForObject("SELECT sum(balance) FROM accounts", Long.class)).isEqualTo(TOTAL);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM accounts", Integer.class)).isEqualTo(ACCOUNTS);
            assertThat(jdbc.queryForObject("PRAGMA integrity_check", String.class)).isEqualTo("ok");
            assertThat(committed.sum()).as("transfers committed").isPositive();
            if (groupCommit) {
                assertThat(groupsCommitted.sum()).as("groups committed").isPositive();
            } else {
                assertThat(groupsCommitted.sum()).as("groups committed with group commit off").isZero();
            }
            log.info("group commit {}: {} groups committed, {} auto-commit transfers, {} keyed audit records", grouping,
                    groupsCommitted.sum(), autoCommitTransfers.sum(), keyedAudits.sum());
            if (autoCommitWrites) {
                assertThat(autoCommitTransfers.sum()).as("auto-commit transfers").isPositive();
                assertThat(keyedAudits.sum()).as("audit records inserted with a key holder").isPositive();
            }
            assertThat(scans.sum()).as("read-only scans").isPositive();
            assertThat(injected.sum()).as("injected failures").isPositive();
            assertThat(abandoned.sum()).as("abandoned transactions").isPositive();
            assertThat(doubleCloses.sum()).as("double closes").isPositive();
            assertThat(audits.sum()).as("REQUIRES_NEW audit writes").isPositive();
            assertThat(nestedReads.sum()).as("REQUIRES_NEW reads inside a write transaction").isPositive();
            assertThat(jdbc.queryForObject("SELECT count(*) FROM audit", Long.class))
                    .as("audit records committed").isEqualTo(audits.sum() + keyedAudits.sum());

            PoolStats stats = pool.stats();
            assertThat(stats.idle()).as("idle connections: " + stats).isEqualTo(MAX_CONNECTIONS);
            assertThat(stats.total()).as("connections: " + stats).isEqualTo(MAX_CONNECTIONS);
            assertThat(stats.active()).as("leases: " + stats).isZero();
            assertThat(stats.waiting()).as("waiters: " + stats).isZero();
            WriteLaneStats lane = pool.writeLaneStats();
            assertThat(lane.holderThread()).as("write lane holder: " + lane).isNull();
            assertThat(lane.waiting()).as("write lane waiters: " + lane).isZero();
        }
    }

    private void openAccounts(SqlitePool pool) throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE accounts (id INTEGER PRIMARY KEY, balance INTEGER NOT NULL)");
            s.execute("CREATE TABLE audit (id INTEGER PRIMARY KEY, note TEXT NOT NULL)");
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO accounts (id, balance) VALUES (?, ?)")) {
                for (int id = 1; id <= ACCOUNTS; id++) {
                    insert.setInt(1, id);
                    insert.setLong(2, OPENING_BALANCE);
                    insert.executeUpdate();
                }
            }
            c.commit();
            c.setAutoCommit(true);
        }
    }

    /** One random operation; the failures the harness causes are counted, others collected. */
    private void step(SqlitePool pool, JdbcTemplate jdbc, TransactionTemplate writes, TransactionTemplate reads,
            boolean autoCommitWrites) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        try {
            switch (random.nextInt(autoCommitWrites ? 8 : 6)) {
                case 0, 1 -> rawTransfer(pool, random);
                case 2, 3 -> springTransfer(jdbc, writes, random);
                case 4 -> rawScan(pool);
                case 5 -> springScan(jdbc, reads);
                case 6 -> autoCommitTransfer(jdbc, random);
                default -> keyedAudit(jdbc);
            }
        } catch (InjectedFailure e) {
            injected.increment();
        } catch (Throwable e) {
            if (causedByInterrupt(e)) {
                interrupted.increment();
            } else {
                unexpected.add(e);
            }
        } finally {
            // an injected interrupt may land anywhere, also after the operation: start clean
            Thread.interrupted();
        }
    }

    private void rawTransfer(SqlitePool pool, ThreadLocalRandom random) throws SQLException {
        int from = 1 + random.nextInt(ACCOUNTS);
        int to = 1 + random.nextInt(ACCOUNTS);
        long amount = 1 + random.nextInt(100);
        int chaos = random.nextInt(10);
        Connection c = pool.getConnection();
        try {
            c.setAutoCommit(false);
            move(c, from, -amount);
            if (chaos == 0) {
                throw new InjectedFailure(); // closed below without a rollback: the pool rolls back
            }
            move(c, to, amount);
            if (chaos == 1) {
                abandoned.increment(); // neither committed nor rolled back before close
                return;
            }
            if (chaos == 2) {
                c.rollback();
                return;
            }
            c.commit();
            committed.increment();
        } finally {
            c.close();
            if (chaos == 3) {
                c.close();
                doubleCloses.increment();
            }
        }
    }

    private void springTransfer(JdbcTemplate jdbc, TransactionTemplate writes, ThreadLocalRandom random) {
        int from = 1 + random.nextInt(ACCOUNTS);
        int to = 1 + random.nextInt(ACCOUNTS);
        long amount = 1 + random.nextInt(100);
        boolean fail = random.nextInt(10) == 0;
        int nested = random.nextInt(20);
        writes.executeWithoutResult(status -> {
            if (nested == 0) {
                // an audit record in its own transaction before the work (issue 14, row 2)
                requiresNew.executeWithoutResult(
                        audit -> jdbc.update("INSERT INTO audit (note) VALUES (?)", from + " -> " + to));
                audits.increment();
            }
            jdbc.update("UPDATE accounts SET balance = balance + ? WHERE id = ?", -amount, from);
            if (nested == 1) {
                // a second connection while this thread holds the lane (issue 14, row 5)
                Long total = requiresNew.execute(
                        read -> jdbc.queryForObject("SELECT sum(balance) FROM accounts", Long.class));
                nestedReads.increment();
                recordScan(total);
            }
            if (fail) {
                throw new InjectedFailure();
            }
            jdbc.update("UPDATE accounts SET balance = balance + ? WHERE id = ?", amount, to);
        });
        committed.increment();
    }

    /** Moves money with one auto-commit statement: the invariant holds after every statement. */
    private void autoCommitTransfer(JdbcTemplate jdbc, ThreadLocalRandom random) {
        int from = 1 + random.nextInt(ACCOUNTS);
        int to = 1 + random.nextInt(ACCOUNTS);
        long amount = 1 + random.nextInt(100);
        int moved = jdbc.update("UPDATE accounts SET balance = balance + CASE id WHEN ? THEN -? ELSE 0 END"
                + " + CASE id WHEN ? THEN ? ELSE 0 END WHERE id IN (?, ?)", from, amount, to, amount, from, to);
        if (moved != (from == to ? 1 : 2)) {
            throw new IllegalStateException("moved " + moved + " rows between " + from + " and " + to);
        }
        autoCommitTransfers.increment();
    }

    /** An auto-commit insert through a key holder: the key must be the record this thread inserted. */
    private void keyedAudit(JdbcTemplate jdbc) {
        String note = "keyed " + Thread.currentThread().getName() + " " + System.nanoTime();
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.update(connection -> {
            PreparedStatement insert = connection.prepareStatement("INSERT INTO audit (note) VALUES (?)",
                    Statement.RETURN_GENERATED_KEYS);
            insert.setString(1, note);
            return insert;
        }, keys);
        keyedAudits.increment();
        long id = keys.getKey().longValue();
        String found = jdbc.queryForObject("SELECT note FROM audit WHERE id = ?", String.class, id);
        if (!note.equals(found)) {
            wrongKeys.add("key " + id + " named '" + found + "', not '" + note + "'");
        }
    }

    private static void move(Connection c, int account, long delta) throws SQLException {
        try (PreparedStatement update = c.prepareStatement("UPDATE accounts SET balance = balance + ? WHERE id = ?")) {
            update.setLong(1, delta);
            update.setInt(2, account);
            if (update.executeUpdate() != 1) {
                throw new IllegalStateException("account " + account + " is missing");
            }
        }
    }

    private void rawScan(SqlitePool pool) throws SQLException {
        try (Connection c = pool.getConnection()) {
            c.setReadOnly(true);
            c.setAutoCommit(false);
            long total = 0;
            // row by row, so the scan spans writers' commits and must see one snapshot
            try (Statement s = c.createStatement(); ResultSet rows = s.executeQuery("SELECT balance FROM accounts")) {
                while (rows.next()) {
                    total += rows.getLong(1);
                }
            }
            c.commit();
            recordScan(total);
        }
    }

    private void springScan(JdbcTemplate jdbc, TransactionTemplate reads) {
        Long total = reads.execute(status -> jdbc.queryForObject("SELECT sum(balance) FROM accounts", Long.class));
        recordScan(total);
    }

    private void recordScan(long total) {
        scans.increment();
        if (total != TOTAL) {
            wrongScans.add(total);
        }
    }

    private static boolean causedByInterrupt(Throwable e) {
        return PoolFixtures.causes(e).stream().anyMatch(
                t -> t instanceof InterruptedException || String.valueOf(t.getMessage()).contains("interrupted"));
    }

    private static String threadDump() {
        StringBuilder dump = new StringBuilder();
        for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
            dump.append(info);
        }
        return dump.toString();
    }

    /** The failure the harness throws in the middle of a transaction. */
    private static final class InjectedFailure extends RuntimeException {

        InjectedFailure() {
            super("injected in the middle of a transaction");
        }
    }
}

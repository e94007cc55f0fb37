package io.github.sqlitepool.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import io.github.sqlitepool.pool.SqlitePool;
import io.github.sqlitepool.pool.config.SqlitePoolConfig;
import io.github.sqlitepool.testsupport.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A child JVM writes through the pool (auto-commit inserts and three-row transactions) and
 * reports each commit after it returned; the test kills it with SIGKILL at a random moment,
 * 20 times (more in the {@code soak} profile). After every kill the database must pass {@code PRAGMA integrity_check}, hold every
 * reported commit, and hold no partial transaction. With {@code synchronous=NORMAL} in WAL mode
 * a process crash must lose no commit (the operating system still has the WAL's writes).
 */
class CrashSafetyTest {

    private static final Logger log = LoggerFactory.getLogger(CrashSafetyTest.class);

    /** 20 rounds; {@code -Dsqlite.pool.soak.crash-rounds=N} (the {@code soak} Maven profile) runs more. */
    private static final int ROUNDS = Integer.getInteger("sqlite.pool.soak.crash-rounds", 20);

    /** Rounds with the WAL unlinked before the kill: 5; the {@code soak} profile runs more. */
    private static final int WAL_ROUNDS = Integer.getInteger("sqlite.pool.soak.wal-crash-rounds", 5);

    @TempDir
    Path dir;

    @Test
    void sigkillAtRandomMomentsLosesNoReportedCommitAndNeverCorrupts() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("crash.db");
        Random random = new Random(42);
        Set<Long> reportedAuto = new HashSet<>();
        Set<Long> reportedTx = new HashSet<>();
        long totalReported = 0;
        for (int round = 0; round < ROUNDS; round++) {
            List<String> lines = runAndKill(url, round * 1_000_000L, 50 + random.nextInt(300), null);
            assertThat(lines).as("round %d: the child started", round).contains("READY END");
            collectReported(lines, reportedAuto, reportedTx);
            assertThat(lines).as("round %d: child errors", round).noneMatch(l -> l.startsWith("ERROR"));
            totalReported = reportedAuto.size() + reportedTx.size();
            verify(url, reportedAuto, reportedTx, round);
        }
        log.info("Crash safety: {} rounds, {} reported commits all present", ROUNDS, totalReported);
        assertThat(totalReported).as("the child committed work in the rounds").isGreaterThan(ROUNDS);
    }

    /**
     * Issue 15: the child commits transactions in groups (group commit on, eight writers), and
     * with {@code group-writes} auto-commit inserts too; after each kill every transaction whose
     * {@code commit()} returned, and every insert whose {@code executeUpdate()} returned, is there, whole.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"group", "group-writes"})
    void sigkillWhileGroupsCommitLosesNoReportedCommit(String mode) throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("group-crash.db");
        Random random = new Random(15);
        Set<Long> reportedAuto = new HashSet<>();
        Set<Long> reportedTx = new HashSet<>();
        long groups = 0;
        for (int round = 0; round < ROUNDS; round++) {
            List<String> lines = runAndKill(url, round * 1_000_000L, 50 + random.nextInt(300), null, mode);
            assertThat(lines).as("round %d: the child started", round).contains("READY END");
            collectReported(lines, reportedAuto, reportedTx);
            assertThat(lines).as("round %d: child errors", round).noneMatch(l -> l.startsWith("ERROR"));
            groups += lines.stream().filter(l -> l.startsWith("GROUP ")).count();
            verify(url, reportedAuto, reportedTx, round);
        }
        log.info("Group commit crash safety ({}): {} rounds, {} groups, {} reported transactions and {} auto-commit "
                + "inserts all present", mode, ROUNDS, groups, reportedTx.size(), reportedAuto.size());
        if (mode.equals("group")) {
            assertThat(reportedAuto).as("transactions only").isEmpty();
        } else {
            assertThat(reportedAuto).as("auto-commit inserts reported").isNotEmpty();
        }
        assertThat(reportedTx.size()).as("the child committed work in the rounds").isGreaterThan(ROUNDS);
        assertThat(groups).as("groups committed before the kills").isPositive();
    }

    /**
     * The WAL deleted while the child writes: the pool must refuse the writes it can no longer
     * make durable and save what the open WAL holds, so that after the kill every reported
     * commit is still in the database file.
     */
    @Test
    void walUnlinkedBeforeTheKillLosesNoReportedCommit() throws Exception {
        Path database = dir.resolve("wal-crash.db");
        String url = "jdbc:sqlite:" + database;
        Random random = new Random(18);
        Set<Long> reportedAuto = new HashSet<>();
        Set<Long> reportedTx = new HashSet<>();
        for (int round = 0; round < WAL_ROUNDS; round++) {
            List<String> lines = runAndKill(url, round * 1_000_000L, 50 + random.nextInt(200),
                    database.resolveSibling(database.getFileName() + "-wal"));
            collectReported(lines, reportedAuto, reportedTx);
            assertThat(lines).as("round %d: the only errors are refusals", round)
                    .filteredOn(l -> l.startsWith("ERROR")).isNotEmpty().allMatch(l -> l.contains("refuses writes"));
            verify(url, reportedAuto, reportedTx, round);
        }
        log.info("WAL unlinked before kill: {} rounds, {} reported commits all present", WAL_ROUNDS,
                reportedAuto.size() + reportedTx.size());
        assertThat(reportedAuto.size() + reportedTx.size()).isGreaterThan(WAL_ROUNDS);
    }

    /**
     * Runs the child, kills it after {@code killAfterMillis} of writing; when {@code unlink} is
     * given, deletes that file first and kills once the child reported a refused write.
     */
    private List<String> runAndKill(String url, long base, int killAfterMillis, Path unlink) throws Exception {
        return runAndKill(url, base, killAfterMillis, unlink, "single");
    }

    /** As above; {@code mode}: {@link CrashWriter}'s third argument. */
    private List<String> runAndKill(String url, long base, int killAfterMillis, Path unlink, String mode)
            throws Exception {
        ChildJvm child = ChildJvm.start(List.of("-Xmx128m"), CrashWriter.class, url, Long.toString(base), mode);
        try {
            // Wait until the child is writing (however slow its start on a busy machine), then
            // let it write for a random while before the kill: the sleep is the random crash
            // moment under test, not a wait for something to happen.
            assertThat(child.awaitReady(Duration.ofSeconds(60))).as("the child started writing within 60 s").isTrue();
            Thread.sleep(killAfterMillis);
            if (unlink != null) {
                Files.delete(unlink);
                await().atMost(Duration.ofSeconds(30)).until(() -> child.hasLine(l -> l.contains("refuses writes")));
            }
        } finally {
            // SIGKILL on Linux: no shutdown hooks, no pool close.
            child.kill();
        }
        return child.awaitExit();
    }

    private static void collectReported(List<String> lines, Set<Long> reportedAuto, Set<Long> reportedTx) {
        for (String line : lines) {
            String[] parts = line.split(" ");
            if (line.startsWith("COMMIT AUTO ")) {
                reportedAuto.add(Long.parseLong(parts[2]));
            } else if (line.startsWith("COMMIT TX ")) {
                reportedTx.add(Long.parseLong(parts[2]));
            }
        }
    }

    private static void verify(String url, Set<Long> reportedAuto, Set<Long> reportedTx, int round)
            throws SQLException {
        try (SqlitePool pool = new SqlitePool(SqlitePoolConfig.builder().url(url).maxConnections(1).build());
                Connection c = pool.getConnection();
                Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
                rs.next();
                assertThat(rs.getString(1)).as("round %d integrity_check", round).isEqualTo("ok");
            }
            Set<Long> autoRows = longs(s, "SELECT id FROM auto_rows");
            assertThat(autoRows).as("round %d: every reported auto-commit insert", round)
                    .containsAll(reportedAuto);
            Set<Long> txIds = longs(s, "SELECT txid FROM tx_rows GROUP BY txid");
            assertThat(txIds).as("round %d: every reported transaction", round).containsAll(reportedTx);
            assertThat(longs(s, "SELECT txid FROM tx_rows GROUP BY txid HAVING count(*) <> 3"))
                    .as("round %d: transactions are all or nothing", round).isEmpty();
            try (ResultSet rs = s.executeQuery("SELECT n FROM tx_counter WHERE id = 1")) {
                rs.next();
                assertThat(rs.getLong(1)).as("round %d: counter equals committed transactions", round)
                        .isEqualTo(txIds.size());
            }
        }
    }

    private static Set<Long> longs(Statement s, String sql) throws SQLException {
        Set<Long> values = new HashSet<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getLong(1));
            }
        }
        return values;
    }
}

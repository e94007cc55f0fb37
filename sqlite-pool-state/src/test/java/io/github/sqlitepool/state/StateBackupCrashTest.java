package io.github.sqlitepool.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import io.github.sqlitepool.pool.SqlitePool;
import io.github.sqlitepool.testsupport.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A child JVM takes backups from two threads and is killed with SIGKILL at a random moment,
 * 20 times ({@code -Dsqlite.pool.soak.crash-rounds=N} runs more). After every kill, every file
 * under a backup name verifies (the temporary files a kill leaves behind are not backups); the
 * next backup removes those leftovers.
 */
class StateBackupCrashTest {

    private static final Logger log = LoggerFactory.getLogger(StateBackupCrashTest.class);

    /** 20 rounds; {@code -Dsqlite.pool.soak.crash-rounds=N} runs more. */
    private static final int ROUNDS = Integer.getInteger("sqlite.pool.soak.crash-rounds", 20);

    @TempDir
    Path dir;

    @Test
    void sigkillDuringBackupsNeverLeavesAnUnverifiableFileUnderABackupName() throws Exception {
        Path database = dir.resolve("state.db");
        Path backups = dir.resolve("backups");
        Random random = new Random(18);
        int reported = 0;
        int leftovers = 0;
        for (int round = 0; round < ROUNDS; round++) {
            List<String> lines = runAndKill(database, backups, 20 + random.nextInt(250));
            assertThat(lines).as("round %d: the child started", round).contains("READY END");
            assertThat(lines).as("round %d: child errors", round).noneMatch(l -> l.startsWith("ERROR"));
            reported += (int) lines.stream().filter(l -> l.startsWith("BACKUP ")).count();
            leftovers += verifyEveryNamedBackup(database, backups, round);
        }
        try (SqlitePool pool = StateFixtures.pool(database, 2)) {
            StateFixtures.manager(pool, backups).createBackup();
        }
        try (Stream<Path> files = Files.list(backups)) {
            assertThat(files).as("the next backup removed what the kills left").noneMatch(PendingBackup::isTemporary);
        }
        log.info("Backup crash safety: {} rounds, {} backups reported, {} unfinished temporary files left by kills",
                ROUNDS, reported, leftovers);
        assertThat(reported).as("the child finished backups in the rounds").isGreaterThan(0);
    }

    /** Verifies every file with a backup name; returns how many temporary files the kill left. */
    private static int verifyEveryNamedBackup(Path database, Path backups, int round) throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(backups)) {
            files = listing.toList();
        }
        try (SqlitePool pool = StateFixtures.pool(database, 1)) {
            StateManager state = new StateManager(pool, StateManagerOptions.defaults().withBackupDir(backups));
            for (Path file : files) {
                if (!PendingBackup.isTemporary(file)) {
                    assertThat(file.getFileName().toString()).as("round %d", round)
                            .matches("state_backup_\\d{8}_\\d{6}(_\\d+)?\\.db");
                    state.verifyBackup(file);
                }
            }
        }
        return (int) files.stream().filter(PendingBackup::isTemporary).count();
    }

    private List<String> runAndKill(Path database, Path backups, int killAfterMillis) throws Exception {
        ChildJvm child = ChildJvm.start(List.of("-Xmx128m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"),
                BackupCrashWriter.class, database.toString(), backups.toString());
        try {
            // a child that did not start in time fails the READY assertion on the lines it left
            child.awaitReady(Duration.ofSeconds(60));
            Thread.sleep(killAfterMillis); // the random moment of the kill, not synchronisation
        } finally {
            child.kill(); // SIGKILL on Linux: no shutdown hooks, no cleanup
        }
        return child.awaitExit();
    }
}

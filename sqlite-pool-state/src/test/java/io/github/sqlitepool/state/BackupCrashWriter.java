package io.github.sqlitepool.state;

import java.io.PrintStream;
import java.nio.file.Path;

import io.github.sqlitepool.pool.SqlitePool;

/**
 * The child process of {@link StateBackupCrashTest}: fills a state database, then takes
 * backups from two threads as fast as it can, reporting each one after it returned, until it
 * is killed.
 *
 * <p>Line format: {@code BACKUP <file> END}, or {@code ERROR <message> END}.
 */
public final class BackupCrashWriter {

    private BackupCrashWriter() {
    }

    public static void main(String[] args) throws Exception {
        Path database = Path.of(args[0]);
        Path backups = Path.of(args[1]);
        SqlitePool pool = StateFixtures.pool(database, 4);
        StateManager state = StateFixtures.manager(pool, backups);
        if (state.getAllStories().isEmpty()) {
            state.inTransaction(s -> {
                for (int i = 0; i < 500; i++) {
                    s.updateStoryStatus(StoryUpdate.of("stories/s" + i + ".md", "epics/e" + (i % 7) + ".md",
                            ProcessingStatus.PENDING).withErrorMessage("x".repeat(200)));
                }
                return null;
            });
        }
        PrintStream out = System.out;
        report(out, "READY END");
        Thread[] takers = new Thread[2];
        for (int t = 0; t < takers.length; t++) {
            takers[t] = new Thread(() -> backUp(state, out), "backup-taker-" + t);
            takers[t].start();
        }
        for (Thread taker : takers) {
            taker.join();
        }
    }

    private static void backUp(StateManager state, PrintStream out) {
        while (true) {
            try {
                report(out, "BACKUP " + state.createBackup() + " END");
            } catch (RuntimeException e) {
                report(out, "ERROR " + String.valueOf(e.getMessage()).replace('\n', ' ') + " END");
            }
        }
    }

    private static void report(PrintStream out, String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }
}

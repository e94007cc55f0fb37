package io.github.sqlitepool.reliability;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicLong;

import io.github.sqlitepool.pool.PoolListener;
import io.github.sqlitepool.pool.SqlitePool;
import io.github.sqlitepool.pool.config.GroupCommitSettings;
import io.github.sqlitepool.pool.config.SqlitePoolConfig;

/**
 * The child process of {@link CrashSafetyTest}: writes through a pool as fast as it can and
 * reports each commit on standard output after {@code commit()} (or the auto-commit
 * statement) has returned, until it is killed.
 *
 * <p>Line format: {@code COMMIT AUTO <id> END} for an auto-commit insert,
 * {@code COMMIT TX <txid> END} for a transaction that inserted three rows and bumped a counter.
 *
 * <p>With a third argument {@code group}, the pool has group commit on and eight writers run
 * transactions only, so that groups form; with {@code group-writes}, auto-commit writes are
 * grouped too and the eight writers run both. Each group that commits is reported as
 * {@code GROUP <members> END}.
 */
public final class CrashWriter {

    private CrashWriter() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        long base = Long.parseLong(args[1]);
        String mode = args.length > 2 ? args[2] : "single";
        boolean grouped = mode.startsWith("group");
        boolean transactionsOnly = mode.equals("group");
        PrintStream out = System.out;
        SqlitePoolConfig config = SqlitePoolConfig.builder().url(url).name("crash-writer")
                .maxConnections(grouped ? 8 : 3)
                .groupCommit(GroupCommitSettings.DEFAULTS.withEnabled(grouped).withMinCommitTime(java.time.Duration.ZERO)
                        .withAutoCommitWrites(mode.equals("group-writes"))).build();
        SqlitePool pool = new SqlitePool(config);
        pool.addListener(new PoolListener() {
            @Override
            public void groupCommitEnded(int members, boolean committed) {
                if (committed) {
                    report(out, "GROUP " + members + " END");
                }
            }
        });
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS auto_rows (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)");
            s.execute("CREATE TABLE IF NOT EXISTS tx_rows (txid INTEGER NOT NULL, part INTEGER NOT NULL, "
                    + "payload TEXT NOT NULL, PRIMARY KEY (txid, part))");
            s.execute("CREATE TABLE IF NOT EXISTS tx_counter (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL)");
            s.execute("INSERT OR IGNORE INTO tx_counter (id, n) VALUES (1, 0)");
        }
        out.println("READY END");
        out.flush();
        AtomicLong next = new AtomicLong(base);
        Thread[] writers = new Thread[grouped ? 8 : 2];
        for (int w = 0; w < writers.length; w++) {
            writers[w] = new Thread(() -> write(pool, next, out, transactionsOnly), "crash-writer-" + w);
            writers[w].start();
        }
        for (Thread writer : writers) {
            writer.join();
        }
    }

    private static void write(SqlitePool pool, AtomicLong next, PrintStream out, boolean transactionsOnly) {
        String payload = "x".repeat(200);
        while (true) {
            long key = next.getAndIncrement();
            try (Connection c = pool.getConnection()) {
                if (key % 2 == 0 && !transactionsOnly) {
                    try (PreparedStatement insert = c.prepareStatement(
                            "INSERT INTO auto_rows (id, payload) VALUES (?, ?)")) {
                        insert.setLong(1, key);
                        insert.setString(2, payload);
                        insert.executeUpdate();
                    }
                    report(out, "COMMIT AUTO " + key + " END");
                } else {
                    c.setAutoCommit(false);
                    try (PreparedStatement insert = c.prepareStatement(
                            "INSERT INTO tx_rows (txid, part, payload) VALUES (?, ?, ?)");
                            PreparedStatement bump = c.prepareStatement("UPDATE tx_counter SET n = n + 1 WHERE id = 1")) {
                        for (int part = 0; part < 3; part++) {
                            insert.setLong(1, key);
                            insert.setInt(2, part);
                            insert.setString(3, payload);
                            insert.executeUpdate();
                        }
                        bump.executeUpdate();
                    }
                    c.commit();
                    report(out, "COMMIT TX " + key + " END");
                }
            } catch (SQLException e) {
                report(out, "ERROR " + e.getMessage().replace('\n', ' ') + " END");
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

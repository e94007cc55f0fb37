package io.github.sqlitepool.autoconfigure.health;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.sqlitepool.pool.SqlitePool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@code PRAGMA quick_check} on a pool at most once per interval, in the background,
 * and keeps the latest outcome. Reading the outcome never waits: the check reads every page
 * of the database, which on a large file takes far longer than a health request should.
 */
final class QuickCheck {

    private static final Logger log = LoggerFactory.getLogger(QuickCheck.class);

    /** At most this many problems are kept; SQLite reports up to 100. */
    private static final int MAX_PROBLEMS = 10;

    private final SqlitePool pool;

    private final Duration interval;

    private final Executor executor;

    private final Clock clock;

    private final AtomicBoolean running = new AtomicBoolean();

    private volatile Outcome latest;

    QuickCheck(SqlitePool pool, Duration interval, Executor executor, Clock clock) {
        this.pool = pool;
        this.interval = interval;
        this.executor = executor;
        this.clock = clock;
    }

    /** The latest outcome, or null before the first check finished; starts a check when one is due. */
    Outcome latest() {
        Outcome current = latest;
        if ((current == null || !current.at().plus(interval).isAfter(clock.instant())) && running.compareAndSet(false, true)) {
            try {
                executor.execute(this::runAndRelease);
            } catch (RuntimeException e) {
                running.set(false);
                log.warn("Pool '{}': could not start PRAGMA quick_check: {}", pool.name(), e.getMessage(), e);
            }
        }
        return current;
    }

    private void runAndRelease() {
        try {
            latest = run();
        } finally {
            running.set(false);
        }
    }

    /** Runs the check now on the calling thread. */
    Outcome run() {
        List<String> problems = new ArrayList<>();
        try (Connection connection = pool.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("PRAGMA quick_check")) {
            while (rows.next()) {
                String row = rows.getString(1);
                if (!"ok".equalsIgnoreCase(row) && problems.size() < MAX_PROBLEMS) {
                    problems.add(row);
                }
            }
        } catch (SQLException e) {
            // SQLITE_CORRUPT and SQLITE_NOTADB surface as exceptions rather than rows.
            if (isCorruption(e)) {
                problems.add(e.getMessage());
            } else {
                log.warn("Pool '{}': PRAGMA quick_check could not run: {}", pool.name(), e.getMessage());
                return new Outcome(clock.instant(), List.of(), e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            log.error("Pool '{}': PRAGMA quick_check reports corruption: {}", pool.name(), problems);
        }
        return new Outcome(clock.instant(), List.copyOf(problems), null);
    }

    private static boolean isCorruption(SQLException e) {
        int primary = e.getErrorCode() & 0xff;
        return primary == 11 /* SQLITE_CORRUPT */ || primary == 26 /* SQLITE_NOTADB */;
    }

    /**
     * One check's result.
     *
     * @param at       when it finished
     * @param problems what {@code quick_check} reported; empty when the database is intact
     * @param failure  why the check could not run, or null
     */
    record Outcome(Instant at, List<String> problems, String failure) {

        boolean corrupt() {
            return !problems.isEmpty();
        }

        /** A short text for the health details. */
        String summary() {
            if (failure != null) {
                return "not run: " + failure;
            }
            return problems.isEmpty() ? "ok" : "corrupt: " + String.join("; ", problems);
        }
    }
}

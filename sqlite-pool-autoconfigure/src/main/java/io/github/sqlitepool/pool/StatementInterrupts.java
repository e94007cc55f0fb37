package io.github.sqlitepool.pool;

import java.sql.SQLException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.sqlite.core.DB;

/**
 * Stops the statement one lease is running: when its query timeout passes, or when another
 * thread calls {@code Statement.cancel()}.
 *
 * <p>sqlite-jdbc implements {@code setQueryTimeout} by changing the connection's busy timeout for
 * the length of the call, which only bounds the wait for another process's lock and then puts
 * back the driver's idea of the busy timeout, not the configured one. The pool never passes a
 * query timeout to the driver; it arms a deadline here instead, and at the deadline calls
 * SQLite's interrupt ({@code sqlite3_interrupt}), which stops whatever the connection runs.
 *
 * <p>Because that interrupt is connection-wide and SQLite also applies it to statements started
 * before the connection goes idle, it is only let through while an execution of this lease is
 * in progress ({@link #begin} to {@link #end}): an interrupt that comes a moment late is dropped
 * instead of stopping the lease's next statement, or the next lease's.
 */
final class StatementInterrupts {

    /** Why the running execution was interrupted. */
    enum Cause {
        NONE, DEADLINE, CANCEL
    }

    private final DB database;

    private final DeadlineTimer timer;

    private boolean running;

    private Cause cause = Cause.NONE;

    private ScheduledFuture<?> alarm;

    StatementInterrupts(DB database, DeadlineTimer timer) {
        this.database = database;
        this.timer = timer;
    }

    /**
     * An execution starts; with {@code timeoutSeconds > 0}, SQLite is interrupted if it still
     * runs that long from now.
     */
    synchronized void begin(int timeoutSeconds) {
        running = true;
        cause = Cause.NONE;
        if (timeoutSeconds > 0) {
            alarm = timer.schedule(this::deadlinePassed, timeoutSeconds, TimeUnit.SECONDS);
        }
    }

    /** The execution has returned or thrown; says whether (and why) it was interrupted. */
    synchronized Cause end() {
        running = false;
        if (alarm != null) {
            alarm.cancel(false);
            alarm = null;
        }
        Cause ended = cause;
        cause = Cause.NONE;
        return ended;
    }

    /** {@code Statement.cancel()}: interrupts the running execution, if there is one. */
    synchronized void cancel() throws SQLException {
        interrupt(Cause.CANCEL);
    }

    private synchronized void deadlinePassed() {
        try {
            interrupt(Cause.DEADLINE);
        } catch (SQLException e) {
            // the driver's interrupt only fails on a closed connection: nothing runs on it then
            cause = Cause.NONE;
        }
    }

    private void interrupt(Cause why) throws SQLException {
        if (running && cause == Cause.NONE) {
            cause = why;
            database.interrupt();
        }
    }

    /** Schedules deadlines; one per pool, its thread started on the first query timeout. */
    interface DeadlineTimer {

        ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit);
    }

    /** A {@link DeadlineTimer} on a {@link ScheduledExecutorService} (a single daemon thread). */
    static DeadlineTimer on(ScheduledExecutorService executor) {
        return executor::schedule;
    }
}

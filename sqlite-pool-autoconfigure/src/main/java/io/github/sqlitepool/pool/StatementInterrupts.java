package io.github.sqlitepool.pool;

import java.sql.SQLException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
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
 * <p>That interrupt is connection-wide, and one that arrives while no statement runs stays
 * pending and stops the next statement instead. So it is only let through while this lease's
 * execution is inside SQLite ({@link #enterSqlite()} to {@link #leaveSqlite()}): a deadline that
 * passes while the execution waits for the write lane is only noted (the execution then fails
 * before it starts any SQL), and one that comes a moment late is dropped instead of stopping the
 * lease's next statement, or the next lease's.
 *
 * <p>SQLite also drops an interrupt that arrives while its statement count is still zero, that is
 * after the execution entered the driver but before {@code sqlite3_step} started the statement:
 * the step clears it. So once interrupted, a statement is interrupted again every
 * {@link #REPEAT_MILLIS} ms for as long as it stays inside the driver.
 */
final class StatementInterrupts {

    /** How often an interrupted execution that is still inside the driver is interrupted again. */
    static final long REPEAT_MILLIS = 10;

    /** Why the running execution was interrupted. */
    enum Cause {
        NONE, DEADLINE, CANCEL
    }

    /** The connection the lease's executions run on; changes only between executions. */
    private volatile DB database;

    private boolean running;

    /** The running execution is inside the driver, where SQLite's interrupt reaches it. */
    private boolean inSqlite;

    /** The running execution has called the driver (it got past the write lane). */
    private boolean started;

    private Cause cause = Cause.NONE;

    private ScheduledFuture<?> alarm;

    /** When the running execution's query timeout passes, in {@link System#nanoTime()} terms; 0 for none. */
    private long deadlineNanos;

    /** Counts the executions, so that a deadline that fires as its execution ends never stops the next one. */
    private int executions;

    StatementInterrupts(DB database) {
        this.database = database;
    }

    /** Executions run on {@code database} from now on. */
    void useDatabase(DB database) {
        this.database = database;
    }

    /**
     * An execution starts; with {@code timeoutSeconds > 0}, SQLite is interrupted if it still
     * runs that long from now.
     */
    synchronized void begin(int timeoutSeconds) {
        running = true;
        started = false;
        cause = Cause.NONE;
        deadlineNanos = 0;
        int execution = ++executions;
        if (timeoutSeconds > 0) {
            deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            alarm = Timer.EXECUTOR.schedule(() -> deadlinePassed(execution), timeoutSeconds, TimeUnit.SECONDS);
        }
    }

    /** The execution has returned or thrown; says whether (and why) it was interrupted. */
    synchronized Cause end() {
        if (cause == Cause.NONE && deadlineNanos != 0 && System.nanoTime() - deadlineNanos >= 0) {
            cause = Cause.DEADLINE; // passed, and a wait bounded by it ended before the timer thread ran
        }
        running = false;
        inSqlite = false;
        deadlineNanos = 0; // a wait for the lane outside an execution (a begin) is not bounded by it
        if (alarm != null) {
            alarm.cancel(false);
            alarm = null;
        }
        Cause ended = cause;
        cause = Cause.NONE;
        return ended;
    }

    /**
     * How long the running execution may still wait (for the write lane, say) before its query
     * timeout passes: at least 0, or -1 when it has no query timeout.
     */
    synchronized long timeLeftNanos() {
        return deadlineNanos == 0 ? -1 : Math.max(0L, deadlineNanos - System.nanoTime());
    }

    /**
     * The execution is about to call the driver; false when its query timeout has passed or it was
     * cancelled meanwhile (it must then not start any SQL).
     */
    synchronized boolean enterSqlite() {
        if (cause != Cause.NONE) {
            return false;
        }
        inSqlite = true;
        started = true;
        return true;
    }

    /** Whether the running execution has called the driver; read before {@link #end()}. */
    synchronized boolean started() {
        return started;
    }

    /** The driver call has returned or thrown. */
    synchronized void leaveSqlite() {
        inSqlite = false;
    }

    /** {@code Statement.cancel()}: interrupts the running execution, if there is one. */
    synchronized void cancel() throws SQLException {
        interrupt(Cause.CANCEL);
    }

    /** The deadline of {@code execution} passed: the timer may run just as that execution ended (its cancel came late). */
    private synchronized void deadlinePassed(int execution) {
        if (execution != executions) {
            return;
        }
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
            if (inSqlite) {
                database.interrupt();
                Timer.EXECUTOR.schedule(this::interruptAgain, REPEAT_MILLIS, TimeUnit.MILLISECONDS);
            }
        }
    }

    /** Repeats the interrupt while the interrupted execution is still inside the driver. */
    private synchronized void interruptAgain() {
        if (!running || !inSqlite || cause == Cause.NONE) {
            return;
        }
        try {
            database.interrupt();
        } catch (SQLException e) {
            return; // the driver's interrupt only fails on a closed connection: nothing runs on it then
        }
        Timer.EXECUTOR.schedule(this::interruptAgain, REPEAT_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * The one thread that fires deadlines for every pool in the JVM, started with the first query
     * timeout: a daemon, since a deadline never needs to outlive the application.
     */
    private static final class Timer {

        static final ScheduledThreadPoolExecutor EXECUTOR = create();

        private static ScheduledThreadPoolExecutor create() {
            ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, task -> {
                Thread thread = new Thread(task, "sqlite-pool-query-deadlines");
                thread.setDaemon(true);
                return thread;
            });
            executor.setRemoveOnCancelPolicy(true); // most statements finish well before their deadline
            return executor;
        }
    }
}

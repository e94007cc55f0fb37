package io.github.sqlitepool.pool;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import io.github.sqlitepool.pool.config.GroupCommitSettings;
import io.github.sqlitepool.pool.config.SqliteConnectionFactory;
import io.github.sqlitepool.pool.config.SqlitePoolConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fixed-size pool of SQLite connections, opened up front and handed out as leases.
 *
 * <ul>
 * <li>All {@code max-connections} connections are opened and configured in the constructor;
 * if one fails, those already opened are closed and a {@link PoolInitializationException}
 * says why.</li>
 * <li>{@link #getConnection()} waits at most {@code acquire-timeout}, then throws a
 * {@link SQLTransientConnectionException} saying the pool is exhausted, with its counts.</li>
 * <li>Closing a lease resets its connection and returns it; a connection that cannot be
 * reset is closed and replaced. A connection the pool cannot take back is closed.</li>
 * <li>{@link #close()} refuses new leases at once, waits up to {@code shutdown-timeout} for
 * leases in flight, checkpoints the WAL, runs {@code PRAGMA optimize}, and closes every
 * connection.</li>
 * <li>Unless {@code write-lane.enabled} is false, writes are serialised through one
 * {@link WriteLane}, fair within a bound: see {@link LeaseTransaction} for when a lease holds it.
 * Two {@link ReserveConnections reserve connections} are then opened beside the pool's, for the
 * thread that holds the lane and for a thread with a transaction open on another lease, so that
 * neither waits behind threads that wait for it.</li>
 * </ul>
 */
public final class SqlitePool implements DataSource, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SqlitePool.class);

    private final SqlitePoolConfig config;

    private final SqliteConnectionFactory factory;

    private final IdleConnections idle;

    private final PooledConnectionOpener opener;

    private final ClosedFlag closed;

    private final PoolListeners listeners = new PoolListeners();

    private final PoolLeaseOwner owner;

    private final Connection memoryAnchor;

    /** Null when {@code write-lane.enabled} is false. */
    private final WriteLane writeLane;

    /** Null when {@code write-lane.enabled} is false. */
    private final ReserveConnections reserve;

    private final PoolCounters counters;

    private final ConnectionRecycler recycler;

    private final ConnectionWaiter waiter;

    private volatile PrintWriter logWriter;

    private final WriteOutcomes writeOutcomes;

    private final StorageGuard storageGuard;

    /** Null when {@code write-lane.enabled} is false. */
    private final WriteLaneAccess laneAccess;

    /** Null when the checkpointer is off (by configuration, in memory, not WAL, read-only). */
    private final Checkpointer checkpointer;

    /**
     * Opens and configures every connection.
     *
     * @throws PoolInitializationException when the database cannot be opened or configured;
     *                                     nothing stays open
     */
    public SqlitePool(SqlitePoolConfig config) {
        this.config = config;
        this.factory = new SqliteConnectionFactory(config.url(), config.pragmas());
        this.closed = new ClosedFlag(config.name());
        this.opener = new PooledConnectionOpener(factory, config.statementCacheSize(),
                config.writeLaneEnabled() && config.groupCommit().enabled());
        this.idle = new IdleConnections();
        this.writeLane = config.writeLaneEnabled() ? new WriteLane(config.name(), this::stats) : null;
        this.writeOutcomes = new WriteOutcomes(config.name(), java.time.Clock.systemUTC(), config.url().readOnly());
        this.storageGuard = new StorageGuard(config.name(), config.url(),
                config.url().file().map(file -> new StorageIdentity(config.name(), file)).orElse(null), writeLane,
                config.acquireTimeout().toNanos(), this::leaseUnlessClosed);
        this.reserve = config.writeLaneEnabled() ? new ReserveConnections() : null;
        this.counters = new PoolCounters(config.name(), config.maxConnections(), idle, reserve);
        this.recycler = new ConnectionRecycler(config.name(), config.maxConnections(), opener, idle, reserve, counters,
                storageGuard, closed);
        this.waiter = new ConnectionWaiter(config.acquireTimeout(), idle, reserve, writeLane, recycler,
                counters, listeners, closed);
        this.laneAccess = writeLane == null ? null
                : new WriteLaneAccess(config, writeLane, storageGuard, writeOutcomes, listeners);
        GroupCommitSettings grouping = config.groupCommit();
        this.owner = new PoolLeaseOwner(config.name(), listeners, recycler, writeLane, laneAccess, closed, factory,
                writeOutcomes, writeLane != null && grouping.enabled()
                        ? new GroupCommit(writeLane, listeners, writeOutcomes::failed,
                                () -> storageGuard.fault() != null, grouping) : null);
        List<PooledConnection> opened = new ArrayList<>(config.maxConnections());
        List<PooledConnection> reserved = new ArrayList<>(2);
        Connection anchor = null;
        try {
            factory.prepareDatabasePath();
            // An in-memory database lives as long as one connection to it is open; this one
            // keeps it alive even while a broken pooled connection is being replaced.
            anchor = config.url().inMemory() ? factory.open() : null;
            for (int i = 0; i < config.maxConnections(); i++) {
                PooledConnection connection = opener.open();
                opened.add(connection);
                if (i == 0) {
                    for (String difference : factory.verify(connection.raw())) {
                        log.warn("Pool '{}': {}", config.name(), difference);
                    }
                    owner.readSessionPragmas(connection.raw());
                }
            }
            if (reserve != null) {
                reserved.add(opener.open());
                reserved.add(opener.open());
            }
        } catch (SQLException | RuntimeException e) {
            opened.addAll(reserved);
            for (PooledConnection connection : opened) {
                SqliteConnectionFactory.closeAfterFailure(connection.raw(), e);
            }
            if (anchor != null) {
                SqliteConnectionFactory.closeAfterFailure(anchor, e);
            }
            throw new PoolInitializationException("cannot start pool '" + config.name() + "' on " + config.url(), e);
        }
        this.memoryAnchor = anchor;
        storageGuard.recordIdentity();
        this.checkpointer = startCheckpointer();
        for (PooledConnection connection : opened) {
            idle.offer(connection, config.maxConnections());
        }
        for (int slot = 0; slot < reserved.size(); slot++) {
            reserve.add(slot, reserved.get(slot));
        }
        config.leakDetectionThreshold()
                .ifPresent(threshold -> addListener(
                        new LeakDetector(config.name(), threshold, () -> stats() + "; " + writeLaneStats())));
        log.info("Pool '{}' started: {} connections to {}, {}", config.name(), config.maxConnections(),
                config.url().file().map(Object::toString).orElse("in-memory database " + config.url()),
                config.pragmas());
        Long mmapSize = config.pragmas().mmapSize();
        if (mmapSize != null && mmapSize > 0 && !config.url().inMemory()) {
            log.warn("Pool '{}' memory-maps up to {} bytes of {} (sqlite.pool.pragmas.mmap-size): if another program "
                    + "truncates or overwrites the file, the JVM dies with SIGBUS instead of failing a statement; "
                    + "set it to 0 unless nothing else can write the file", config.name(), mmapSize, config.url());
        }
    }

    /**
     * Leases a connection, waiting at most {@code acquire-timeout}. Close the lease to return it.
     *
     * @throws SQLTransientConnectionException when no connection became free in time
     * @throws SQLException                    when the pool is closed, or the thread was
     *                                         interrupted while waiting (its interrupt flag stays set)
     */
    @Override
    public Connection getConnection() throws SQLException {
        if (closed.isClosed()) {
            throw closed.closedException();
        }
        boolean told = listeners.any();
        PooledConnection connection = idle.poll();
        // a lease taken without waiting counts as no wait: timing the few nanoseconds of the
        // lock-free take would cost a clock read on every lease
        long waited = 0L;
        long leasedAt = ConnectionLease.NOT_TIMED;
        if (connection == null) {
            long start = System.nanoTime();
            connection = waiter.await();
            leasedAt = System.nanoTime();
            waited = leasedAt - start;
        } else if (told) {
            leasedAt = System.nanoTime();
        }
        connection.leasedTo(Thread.currentThread());
        ConnectionLease lease = new GeneratedConnectionLease(owner, connection, leasedAt);
        if (told) {
            listeners.leaseAcquired(lease, waited);
        }
        return lease;
    }

    /** A lease for the WAL's rescue: {@link #getConnection()}, unless the pool is closed. */
    private ConnectionLease leaseUnlessClosed() throws SQLException {
        return closed.isClosed() ? null : (ConnectionLease) getConnection();
    }

    /** Adds a listener for lease, timeout and write-lane events. */
    public void addListener(PoolListener listener) {
        listeners.add(listener);
    }

    /** Removes a listener added with {@link #addListener(PoolListener)}. */
    public void removeListener(PoolListener listener) {
        listeners.remove(listener);
    }

    /** The pool's counters now, read from its connections' states and its queue of waiters. */
    public PoolStats stats() {
        return counters.stats();
    }

    /** The statement caches now: statements kept open, and hits and misses since the pool started. */
    public StatementCacheStats statementCacheStats() {
        return opener.statementCacheStats(idle.members());
    }

    /** The write lane's state now: holder thread, how long it has held the lane, waiters. */
    public WriteLaneStats writeLaneStats() {
        return writeLane == null ? WriteLaneStats.DISABLED : writeLane.stats();
    }

    private Checkpointer startCheckpointer() {
        if (!config.checkpoint().enabled() || config.url().file().isEmpty() || config.url().readOnly()
                || config.pragmas().journalMode() != io.github.sqlitepool.pool.config.JournalMode.WAL) {
            return null;
        }
        LeaseAges leases = new LeaseAges(this::connections);
        Connection connection = null;
        try {
            connection = factory.open();
            Checkpointer started = new Checkpointer(config.name(), config.checkpoint(),
                    WalFile.of(config.url().file().get()), connection, writeLane, leases);
            return started;
        } catch (SQLException | RuntimeException e) {
            if (connection != null) {
                SqliteConnectionFactory.closeAfterFailure(connection, e);
            }
            log.warn("Pool '{}' runs without its checkpointer (the WAL is checkpointed by SQLite and on close only): "
                    + "{}", config.name(), e.getMessage(), e);
            return null;
        }
    }

    /** Every connection the pool owns now, its reserve connections included. */
    private List<PooledConnection> connections() {
        List<PooledConnection> all = new ArrayList<>(idle.members());
        if (reserve != null) {
            all.addAll(reserve.members());
        }
        return all;
    }

    /** What the checkpointer has done, and whether readers starve it. */
    public CheckpointStats checkpointStats() {
        return checkpointer == null ? CheckpointStats.DISABLED : checkpointer.stats();
    }

    /**
     * What the pool knows about its storage now: a fault in its files (compared now), and
     * whether recent writes failed in storage. Cheap enough for every health check.
     */
    public StorageHealth storageHealth() {
        String fault = storageGuard.checkNow();
        WriteOutcomes.Failure failure = writeOutcomes.lastFailure();
        return new StorageHealth(fault, writeOutcomes.failing(), failure == null ? null : failure.message(),
                failure == null ? null : failure.at(), writeOutcomes.lastSuccess(), writeOutcomes.failureCount());
    }

    /** The pool's name, as in logs, errors and metrics. */
    public String name() {
        return config.name();
    }

    /** The settings the pool was built with. */
    public SqlitePoolConfig config() {
        return config;
    }

    /** Whether {@link #close()} has been called. */
    public boolean isClosed() {
        return closed.isClosed();
    }

    /**
     * Stops handing out leases, waits up to {@code shutdown-timeout} for leases in flight,
     * checkpoints the WAL ({@code wal_checkpoint(TRUNCATE)}), runs {@code PRAGMA optimize},
     * and closes every connection. Leases still out after the timeout have their connections
     * closed (their open transactions roll back). A second call does nothing.
     */
    @Override
    public void close() {
        if (!closed.close()) {
            return;
        }
        new PoolShutdown(config, idle, reserve, recycler, checkpointer,
                new ClosingCheckpoint(config.name(), config.url(), factory), memoryAnchor).run();
    }

    /** Refused: SQLite has no users. */
    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("sqlite-pool '" + config.name()
                + "' does not take a user name and password (SQLite has no users); use getConnection()");
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    /** Ignored: the wait for a connection is set by {@code acquire-timeout}. */
    @Override
    public void setLoginTimeout(int seconds) {
        log.debug("Pool '{}' ignores setLoginTimeout({}); sqlite.pool.acquire-timeout applies", config.name(), seconds);
    }

    /** The acquire timeout in whole seconds. */
    @Override
    public int getLoginTimeout() {
        return (int) Math.max(1, config.acquireTimeout().toSeconds());
    }

    @Override
    public java.util.logging.Logger getParentLogger() {
        return java.util.logging.Logger.getLogger("io.github.sqlitepool");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("sqlite-pool does not wrap a " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }

    @Override
    public String toString() {
        return "SqlitePool[" + stats() + "]";
    }
}

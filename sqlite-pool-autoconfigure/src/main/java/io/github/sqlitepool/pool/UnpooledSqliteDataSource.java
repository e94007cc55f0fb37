package io.github.sqlitepool.pool;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;

import javax.sql.DataSource;

import io.github.sqlitepool.pool.config.SqliteConnectionFactory;
import io.github.sqlitepool.pool.config.SqlitePoolConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code DataSource} without a pool: every {@link #getConnection()} opens a new SQLite
 * connection with the same PRAGMAs, and closing it closes it. Like the original tool's
 * {@code use_connection_pool=False}; for tools, tests and comparisons.
 *
 * <p>It costs an open, a schema read and one statement per PRAGMA on every lease (tens to
 * hundreds of microseconds, against well under one for a pooled lease), each connection starts
 * with a cold page cache, and nothing bounds how many connections are open at once.
 * Settings are validated and the database checked once, at construction, as for the pool.
 */
public final class UnpooledSqliteDataSource implements DataSource, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(UnpooledSqliteDataSource.class);

    private final SqlitePoolConfig config;

    private final SqliteConnectionFactory factory;

    private final Connection memoryAnchor;

    private final LeaseOwner owner = new Owner();

    private volatile boolean closed;

    private volatile PrintWriter logWriter;

    /**
     * Checks the database and the PRAGMAs by opening one connection.
     *
     * @throws PoolInitializationException when the database cannot be opened or configured
     */
    public UnpooledSqliteDataSource(SqlitePoolConfig config) {
        this.config = config;
        this.factory = new SqliteConnectionFactory(config.url(), config.pragmas());
        Connection first = null;
        try {
            factory.prepareDatabasePath();
            first = factory.open();
            for (String difference : factory.verify(first)) {
                log.warn("Data source '{}': {}", config.name(), difference);
            }
        } catch (SQLException | RuntimeException e) {
            if (first != null) {
                SqliteConnectionFactory.closeAfterFailure(first, e);
            }
            throw new PoolInitializationException("cannot open '" + config.name() + "' on " + config.url(), e);
        }
        if (config.url().inMemory()) {
            this.memoryAnchor = first; // keeps the in-memory database alive between connections
        } else {
            this.memoryAnchor = null;
            try {
                first.close();
            } catch (SQLException e) {
                log.warn("Data source '{}' could not close its check connection: {}", config.name(), e.getMessage());
            }
        }
        log.info("Unpooled data source '{}' ready on {}", config.name(), config.url());
    }

    /** Opens a new connection; closing it closes it. */
    @Override
    public Connection getConnection() throws SQLException {
        if (closed) {
            throw new SQLException("data source '" + config.name() + "' is closed", SqlStates.CONNECTION_CLOSED);
        }
        PooledConnection connection = new PooledConnection(factory.open(), new StatementCache(0));
        return new GeneratedConnectionLease(owner, connection, ConnectionLease.NOT_TIMED);
    }

    /** Refused: SQLite has no users. */
    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("data source '" + config.name()
                + "' does not take a user name and password (SQLite has no users); use getConnection()");
    }

    public SqlitePoolConfig config() {
        return config;
    }

    /** Refuses further connections and, for an in-memory database, drops it. */
    @Override
    public void close() {
        closed = true;
        if (memoryAnchor != null) {
            try {
                memoryAnchor.close();
            } catch (SQLException e) {
                log.warn("Data source '{}' could not close its in-memory database cleanly: {}", config.name(),
                        e.getMessage());
            }
        }
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    /** Ignored: opening a SQLite connection does not wait for a server. */
    @Override
    public void setLoginTimeout(int seconds) {
        log.debug("Data source '{}' ignores setLoginTimeout({})", config.name(), seconds);
    }

    @Override
    public int getLoginTimeout() {
        return 0;
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
        throw new SQLException("data source does not wrap a " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }

    private final class Owner implements LeaseOwner {

        @Override
        public void release(ConnectionLease lease, boolean reusable) {
            try {
                lease.entry.raw().close();
            } catch (SQLException e) {
                log.warn("Could not close an unpooled connection cleanly: {}", e.getMessage(), e);
            }
        }

        @Override
        public String name() {
            return config.name();
        }
    }
}

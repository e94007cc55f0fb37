package io.github.sqlitepool.pool;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.LongAdder;

import io.github.sqlitepool.pool.config.SqliteConnectionFactory;

/**
 * Opens the pool's connections: a configured SQLite connection with a statement cache of its
 * own, the caches' hits and misses counted pool-wide.
 */
final class PooledConnectionOpener {

    private final SqliteConnectionFactory factory;

    private final int statementCacheSize;

    /** Whether connections get the pool's table for setting their counters: group commit is on. */
    private final boolean countersTable;

    private final LongAdder statementCacheHits = new LongAdder();

    private final LongAdder statementCacheMisses = new LongAdder();

    PooledConnectionOpener(SqliteConnectionFactory factory, int statementCacheSize, boolean countersTable) {
        this.factory = factory;
        this.statementCacheSize = statementCacheSize;
        this.countersTable = countersTable;
    }

    /** Opens and configures a connection for the pool. */
    PooledConnection open() throws SQLException {
        Connection raw = factory.open();
        if (countersTable) {
            ConnectionCounters.createTable(raw);
        }
        return new PooledConnection(raw, newStatementCache());
    }

    /** The statement caches of {@code connections} now, with the hits and misses since the pool started. */
    StatementCacheStats statementCacheStats(Iterable<PooledConnection> connections) {
        int cached = 0;
        for (PooledConnection connection : connections) {
            cached += connection.statements().size();
        }
        return new StatementCacheStats(cached, statementCacheHits.sum(), statementCacheMisses.sum());
    }

    private StatementCache newStatementCache() {
        return new StatementCache(statementCacheSize, statementCacheHits, statementCacheMisses);
    }
}

package io.github.sqlitepool.pool;

import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;

import io.github.sqlitepool.jdbc.generator.GenerateDelegation;
import io.github.sqlitepool.pool.sql.SqlClassifier;
import io.github.sqlitepool.pool.sql.SqlClassifier.SqlKind;
import org.sqlite.core.CoreResultSet;
import org.sqlite.core.CoreStatement;
import org.sqlite.core.DB;

/**
 * A prepared statement created through a {@link ConnectionLease}; its SQL is known up front, and
 * classified once. The parameter setters and the rest not written here delegate
 * ({@code GeneratedLeasedPreparedStatement}), guarded as {@link LeasedStatement} says. Executions
 * read {@link #delegate} when they run, not when they are handed to the lease: a grouped write
 * runs them on a statement made like it on the group's connection ({@link GroupedWrite}).
 */
@GenerateDelegation(execution = "run")
abstract class LeasedPreparedStatement extends LeasedStatement<PreparedStatement> implements PreparedStatement {

    private final String sql;

    /** The cache the driver's statement goes back to when closed; null when it is not cached. */
    private final StatementCache cache;

    /** What {@link #sql} does, once asked. */
    private SqlKind kind;

    /** Parameters were added to a batch: the batch is cleared before the statement is cached. */
    private boolean batched;

    LeasedPreparedStatement(ConnectionLease lease, PreparedStatement delegate, String sql) {
        this(lease, delegate, sql, null);
    }

    LeasedPreparedStatement(ConnectionLease lease, PreparedStatement delegate, String sql, StatementCache cache) {
        super(lease, delegate);
        this.sql = sql;
        this.cache = cache;
    }

    /**
     * Keeps the driver's statement for the next lease of this connection that prepares the same
     * SQL, in the state {@code prepareStatement} gives: no parameters, no batch, no generated keys
     * open, query timeout, max rows and fetch size as they were. A statement with other settings
     * changed, handed out through {@code unwrap}, or whose lease has ended, is closed instead.
     */
    @Override
    boolean putBack(PreparedStatement statement) throws SQLException {
        if (cache == null || !reusable || lease.isClosed()) {
            return false;
        }
        if (batched) {
            statement.clearBatch();
        }
        if (StatementCache.mayLeaveGeneratedKeys(sql)) {
            ResultSet keys = statement.getGeneratedKeys();
            if (keys != null) {
                keys.close();
            }
        }
        statement.clearParameters();
        restoreSettings(statement);
        return cache.put(sql, statement);
    }

    @Override
    SqlKind kind(String text) {
        if (kind == null) {
            kind = SqlClassifier.classify(sql);
        }
        return kind;
    }

    @Override
    String batchSql() {
        return sql;
    }

    @Override
    public long executeLargeUpdate() throws SQLException {
        return lease.execute(this, sql, () -> delegate.executeLargeUpdate());
    }

    @Override
    public String toString() {
        return "LeasedPreparedStatement[" + sql + "]";
    }

    @Override
    public void addBatch() throws SQLException {
        batched = true;
        delegate.addBatch();
    }

    @Override
    public boolean execute() throws SQLException {
        return lease.execute(this, sql, () -> delegate.execute());
    }

    @Override
    public ResultSet executeQuery() throws SQLException {
        return wrap(lease.execute(this, sql, () -> delegate.executeQuery()));
    }

    @Override
    public int executeUpdate() throws SQLException {
        return lease.execute(this, sql, () -> delegate.executeUpdate());
    }

    @Override
    public ResultSetMetaData getMetaData() throws SQLException {
        ResultSetMetaData metaData = delegate.getMetaData();
        if (metaData instanceof CoreResultSet driverResults && driverResults.colsMeta == null && !driverResults.isOpen()) {
            // sqlite-jdbc answers with its one result set object, which forgets the statement's
            // columns whenever a result closes; a statement reused from the cache (or executed
            // before in this lease) would then fail where a freshly prepared one answers
            driverResults.colsMeta = ((CoreStatement) delegate).pointer.safeRun(DB::column_names);
        }
        return new GeneratedLeasedResultSetMetaData(this, metaData);
    }

    @Override
    public ParameterMetaData getParameterMetaData() throws SQLException {
        return new GeneratedLeasedParameterMetaData(this, delegate.getParameterMetaData());
    }
}

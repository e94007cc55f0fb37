package io.github.sqlitepool.pool;

import java.sql.ResultSetMetaData;
import java.sql.SQLException;

/**
 * Column metadata handed out by a leased statement or result set; it stops working with its owner.
 * sqlite-jdbc answers metadata with its own result set object, which a cached statement passes on
 * to the next lease, so the driver's object must not outlive the caller's statement.
 */
final class LeasedResultSetMetaData extends LeasedMetaData<ResultSetMetaData> implements ResultSetMetaData {

    LeasedResultSetMetaData(LeaseBound owner, ResultSetMetaData delegate) {
        super(owner, delegate);
    }

    @Override
    public String getCatalogName(int arg) throws SQLException {
        checkUsable();
        return delegate.getCatalogName(arg);
    }

    @Override
    public String getColumnClassName(int arg) throws SQLException {
        checkUsable();
        return delegate.getColumnClassName(arg);
    }

    @Override
    public int getColumnCount() throws SQLException {
        checkUsable();
        return delegate.getColumnCount();
    }

    @Override
    public int getColumnDisplaySize(int arg) throws SQLException {
        checkUsable();
        return delegate.getColumnDisplaySize(arg);
    }

    @Override
    public String getColumnLabel(int arg) throws SQLException {
        checkUsable();
        return delegate.getColumnLabel(arg);
    }

    @Override
    public String getColumnName(int arg) throws SQLException {
        checkUsable();
        return delegate.getColumnName(arg);
    }

    @Override
    public int getColumnType(int arg) throws SQLException {
        checkUsable();
        return delegate.getColumnType(arg);
    }

    @Override
    public String getColumnTypeName(int arg) throws SQLException {
        checkUsable();
        return delegate.getColumnTypeName(arg);
    }

    @Override
    public int getPrecision(int arg) throws SQLException {
        checkUsable();
        return delegate.getPrecision(arg);
    }

    @Override
    public int getScale(int arg) throws SQLException {
        checkUsable();
        return delegate.getScale(arg);
    }

    @Override
    public String getSchemaName(int arg) throws SQLException {
        checkUsable();
        return delegate.getSchemaName(arg);
    }

    @Override
    public String getTableName(int arg) throws SQLException {
        checkUsable();
        return delegate.getTableName(arg);
    }

    @Override
    public boolean isAutoIncrement(int arg) throws SQLException {
        checkUsable();
        return delegate.isAutoIncrement(arg);
    }

    @Override
    public boolean isCaseSensitive(int arg) throws SQLException {
        checkUsable();
        return delegate.isCaseSensitive(arg);
    }

    @Override
    public boolean isCurrency(int arg) throws SQLException {
        checkUsable();
        return delegate.isCurrency(arg);
    }

    @Override
    public boolean isDefinitelyWritable(int arg) throws SQLException {
        checkUsable();
        return delegate.isDefinitelyWritable(arg);
    }

    @Override
    public int isNullable(int arg) throws SQLException {
        checkUsable();
        return delegate.isNullable(arg);
    }

    @Override
    public boolean isReadOnly(int arg) throws SQLException {
        checkUsable();
        return delegate.isReadOnly(arg);
    }

    @Override
    public boolean isSearchable(int arg) throws SQLException {
        checkUsable();
        return delegate.isSearchable(arg);
    }

    @Override
    public boolean isSigned(int arg) throws SQLException {
        checkUsable();
        return delegate.isSigned(arg);
    }

    @Override
    public boolean isWritable(int arg) throws SQLException {
        checkUsable();
        return delegate.isWritable(arg);
    }
}

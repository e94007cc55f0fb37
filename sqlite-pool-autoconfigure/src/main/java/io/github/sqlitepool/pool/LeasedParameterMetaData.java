package io.github.sqlitepool.pool;

import java.sql.ParameterMetaData;
import java.sql.SQLException;

/**
 * Parameter metadata handed out by a leased prepared statement; it stops working when the statement
 * closes. sqlite-jdbc answers it with its statement object itself, which a cached statement passes
 * on to the next lease.
 */
final class LeasedParameterMetaData extends LeasedMetaData<ParameterMetaData> implements ParameterMetaData {

    LeasedParameterMetaData(LeaseBound owner, ParameterMetaData delegate) {
        super(owner, delegate);
    }

    @Override
    public String getParameterClassName(int arg) throws SQLException {
        checkUsable();
        return delegate.getParameterClassName(arg);
    }

    @Override
    public int getParameterCount() throws SQLException {
        checkUsable();
        return delegate.getParameterCount();
    }

    @Override
    public int getParameterMode(int arg) throws SQLException {
        checkUsable();
        return delegate.getParameterMode(arg);
    }

    @Override
    public int getParameterType(int arg) throws SQLException {
        checkUsable();
        return delegate.getParameterType(arg);
    }

    @Override
    public String getParameterTypeName(int arg) throws SQLException {
        checkUsable();
        return delegate.getParameterTypeName(arg);
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
    public int isNullable(int arg) throws SQLException {
        checkUsable();
        return delegate.isNullable(arg);
    }

    @Override
    public boolean isSigned(int arg) throws SQLException {
        checkUsable();
        return delegate.isSigned(arg);
    }
}

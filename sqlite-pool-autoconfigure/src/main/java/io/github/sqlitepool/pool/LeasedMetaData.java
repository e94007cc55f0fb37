package io.github.sqlitepool.pool;

import java.sql.SQLException;
import java.sql.Wrapper;

/**
 * What the metadata wrappers share: the statement or result set they belong to, which they
 * check with before every call, and the driver's object behind them.
 *
 * @param <D> the driver's metadata type
 */
abstract class LeasedMetaData<D extends Wrapper> implements Wrapper {

    private final LeaseBound owner;

    final D delegate;

    LeasedMetaData(LeaseBound owner, D delegate) {
        this.owner = owner;
        this.delegate = delegate;
    }

    final void checkUsable() throws SQLException {
        owner.checkUsable();
    }

    @Override
    public final <T> T unwrap(Class<T> iface) throws SQLException {
        return LeaseBound.unwrap(this, delegate, owner, iface);
    }

    @Override
    public final boolean isWrapperFor(Class<?> iface) throws SQLException {
        return LeaseBound.isWrapperFor(this, delegate, iface);
    }
}

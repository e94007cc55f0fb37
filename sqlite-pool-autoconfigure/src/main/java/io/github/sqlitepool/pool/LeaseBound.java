package io.github.sqlitepool.pool;

import java.sql.SQLException;
import java.sql.Wrapper;

/**
 * A statement or result set handed out through a lease, whose driver object may pass to another
 * lease once it is closed (the pool caches prepared statements). What it hands out in turn
 * (metadata) checks with it before every call.
 */
interface LeaseBound {

    /** Throws when this object has been closed and its driver object may serve someone else. */
    void checkUsable() throws SQLException;

    /** Notes that the caller was given a driver object directly, so the statement must not be cached. */
    void driverExposed();

    /**
     * {@link Wrapper#unwrap} for a wrapper of {@code owner}'s: itself when it is of the type asked
     * for, else the driver's object while {@code owner} is usable, after which the statement is
     * never cached.
     */
    static <T> T unwrap(Wrapper wrapper, Wrapper driver, LeaseBound owner, Class<T> iface) throws SQLException {
        if (iface.isInstance(wrapper)) {
            return iface.cast(wrapper);
        }
        owner.checkUsable(); // once closed, the driver's object may be serving another lease
        owner.driverExposed();
        return driver.unwrap(iface);
    }

    /** {@link Wrapper#isWrapperFor} for a wrapper of {@code driver}. */
    static boolean isWrapperFor(Wrapper wrapper, Wrapper driver, Class<?> iface) throws SQLException {
        return iface.isInstance(wrapper) || driver.isWrapperFor(iface);
    }
}

package io.github.sqlitepool.pool;

import java.sql.SQLException;

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
}

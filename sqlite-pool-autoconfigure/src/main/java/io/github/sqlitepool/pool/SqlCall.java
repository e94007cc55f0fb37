package io.github.sqlitepool.pool;

import java.sql.SQLException;

/** A piece of JDBC work that returns a value. */
@FunctionalInterface
interface SqlCall<T> {
    T call() throws SQLException;
}

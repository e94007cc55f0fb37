/**
 * What a SQL text does, as far as the pool needs to know: whether it can write, whether it
 * opens or ends a transaction in SQL, and whether its prepared statement may be cached.
 *
 * <p>May import: the JDK only.
 */
package io.github.sqlitepool.pool.sql;

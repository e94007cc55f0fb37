package io.github.sqlitepool.pool;

/**
 * The pool's statement caches at one moment.
 *
 * @param cached statements kept open now, over all connections
 * @param hits   {@code prepareStatement} calls answered from a cache since the pool started
 * @param misses calls for cacheable SQL that had to prepare (not in the cache yet, or in use)
 */
public record StatementCacheStats(int cached, long hits, long misses) {
}

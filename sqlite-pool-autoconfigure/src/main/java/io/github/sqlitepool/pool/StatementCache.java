package io.github.sqlitepool.pool;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prepared statements of one pooled connection, kept open between leases and keyed by their SQL,
 * the least recently used closed first when the cache is full. Preparing is a large part of a
 * short statement's cost in SQLite (measured in docs/architecture.md, "Prepared statements cached
 * per connection"), and Spring's {@code JdbcTemplate} prepares on every call.
 *
 * <p>A statement taken out belongs to one lease until it comes back; the lease resets it
 * (parameters cleared, result closed) before it does. Only the lease holding the connection
 * uses its cache, but the methods are synchronized so that a pool shutting down a connection
 * from another thread sees a consistent map.
 */
final class StatementCache {

    private static final Logger log = LoggerFactory.getLogger(StatementCache.class);

    /** Statements whose text is worth caching begin with one of these (lower case). */
    private static final String[] CACHED_VERBS = {"select", "insert", "update", "delete", "replace", "with",
        "values"};

    /** The words after which sqlite-jdbc looks up generated keys, as whole words in any case. */
    private static final Pattern WRITE_AFTER_CTE = Pattern.compile("\\b(insert|replace)\\b", Pattern.CASE_INSENSITIVE);

    private final int capacity;

    /** Shared by the pool's connections, so the counts outlive a connection that is replaced. */
    private final LongAdder hits;

    private final LongAdder misses;

    private final LinkedHashMap<String, PreparedStatement> statements;

    StatementCache(int capacity) {
        this(capacity, new LongAdder(), new LongAdder());
    }

    StatementCache(int capacity, LongAdder hits, LongAdder misses) {
        this.capacity = capacity;
        this.hits = hits;
        this.misses = misses;
        // insertion order is use order: a statement is taken out while in use and put back after
        this.statements = new LinkedHashMap<>(capacity == 0 ? 1 : capacity * 2);
    }

    /**
     * Whether statements with this text may be cached: one plain query or data change (no
     * {@code ;}). Transaction control, DDL and PRAGMAs are rare and change the connection's
     * state, and are prepared afresh. A cached {@code SELECT *} stays right after a schema
     * change: SQLite re-prepares the statement by itself, and sqlite-jdbc reads the column names
     * again at every execution.
     */
    static boolean cacheable(String sql) {
        if (sql == null || sql.indexOf(';') >= 0) {
            return false;
        }
        for (String verb : CACHED_VERBS) {
            if (startsWithKeyword(sql, verb)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the text's first word, after leading whitespace, is {@code keyword}, in any case. */
    static boolean startsWithKeyword(String sql, String keyword) {
        int start = 0;
        int length = sql.length();
        while (start < length && Character.isWhitespace(sql.charAt(start))) {
            start++;
        }
        int end = start + keyword.length();
        return sql.regionMatches(true, start, keyword, 0, keyword.length())
                && (end == length || !Character.isLetter(sql.charAt(end)));
    }

    /**
     * Whether sqlite-jdbc may leave a generated-keys query open after running this statement: after
     * every {@code INSERT} or {@code REPLACE} it runs {@code SELECT last_insert_rowid()} and keeps
     * that result until the statement runs again or closes. A cached statement must close it, or
     * SQLite counts it as a statement in progress (and refuses {@code VACUUM}, for one).
     */
    static boolean mayLeaveGeneratedKeys(String sql) {
        if (startsWithKeyword(sql, "insert") || startsWithKeyword(sql, "replace")) {
            return true;
        }
        // WITH ... INSERT: the CTEs come first (a WITH ... SELECT that merely mentions the words
        // costs one needless, harmless look)
        return startsWithKeyword(sql, "with") && WRITE_AFTER_CTE.matcher(sql).find();
    }

    /** Whether this cache keeps anything at all (a capacity of 0 turns it off). */
    boolean enabled() {
        return capacity > 0;
    }

    /** Takes the cached statement for {@code sql} out of the cache; null when there is none. */
    synchronized PreparedStatement take(String sql) {
        PreparedStatement statement = statements.remove(sql);
        if (statement != null) {
            hits.increment();
        }
        return statement;
    }

    /** Counts a cacheable statement that had to be prepared ({@link #take} found none). */
    void missed() {
        misses.increment();
    }

    /**
     * Keeps a reset statement for the next lease that prepares the same SQL, closing the least
     * recently used one when the cache is full.
     *
     * @return false when it was not kept (one for this SQL is cached already): the caller closes it
     */
    synchronized boolean put(String sql, PreparedStatement statement) {
        if (capacity == 0 || statements.containsKey(sql)) {
            return false;
        }
        if (statements.size() >= capacity) {
            Iterator<Map.Entry<String, PreparedStatement>> eldest = statements.entrySet().iterator();
            close(eldest.next().getValue());
            eldest.remove();
        }
        statements.put(sql, statement);
        return true;
    }

    /** How many statements are cached now. */
    synchronized int size() {
        return statements.size();
    }

    private static void close(PreparedStatement statement) {
        try {
            statement.close();
        } catch (SQLException e) {
            // the connection finalizes its statements when it closes; nothing is lost here
            log.debug("Closing a cached statement failed: {}", e.getMessage());
        }
    }
}

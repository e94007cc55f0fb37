package io.github.sqlitepool.pool;

import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which of a connection's counters a SQL text asks for ({@code last_insert_rowid()},
 * {@code changes()}, {@code total_changes()}), and whether it may move the last row id. Answers are kept per text, as the SQL classifier
 * keeps its own: group commit asks for every statement of a lease whose writes met a group. A text
 * that merely mentions a function's name (in a literal) counts as asking, harmlessly.
 */
final class CounterSql {

    /** The text asks for {@code last_insert_rowid()}. */
    private static final int ROW_ID = 1;

    /** The text asks for {@code changes()}. */
    private static final int CHANGES = 2;

    /** The text asks for {@code total_changes()}. */
    private static final int TOTAL = 4;

    /** The text may insert rows: it names {@code INSERT} or {@code REPLACE} anywhere. */
    private static final int INSERTS = 8;

    private static final Pattern INSERTING = Pattern.compile("\\b(?:insert|replace)\\b", Pattern.CASE_INSENSITIVE);

    private static final Pattern ASKING = Pattern.compile(
            "\\b(?:(last_insert_rowid)|(changes)|(total_changes))\\s*\\(\\s*\\)", Pattern.CASE_INSENSITIVE);

    /** What {@code asked} answers, per text. */
    private static final ConcurrentHashMap<String, Integer> KNOWN = new ConcurrentHashMap<>();

    /** Above this many texts, {@link #KNOWN} starts over: crude but bounded, as the SQL classifier's cache. */
    private static final int CACHE_LIMIT = 2048;

    private CounterSql() {
    }

    /** Whether {@code sql} (null: not known) asks for any of the counters. */
    static boolean asks(String sql) {
        return (asked(sql) & (ROW_ID | CHANGES | TOTAL)) != 0;
    }

    /** Whether {@code sql} asks for {@code last_insert_rowid()}. */
    static boolean asksRowId(String sql) {
        return (asked(sql) & ROW_ID) != 0;
    }

    /** Whether {@code sql} asks for {@code changes()}. */
    static boolean asksChanges(String sql) {
        return (asked(sql) & CHANGES) != 0;
    }

    /** Whether {@code sql} asks for {@code total_changes()}. */
    static boolean asksTotal(String sql) {
        return (asked(sql) & TOTAL) != 0;
    }

    /** Whether {@code sql} (null: not known) may insert rows, which moves {@code last_insert_rowid()}. */
    static boolean mayInsert(String sql) {
        return sql == null || (asked(sql) & INSERTS) != 0;
    }

    private static int asked(String sql) {
        if (sql == null) {
            return 0;
        }
        Integer known = KNOWN.get(sql);
        if (known != null) {
            return known;
        }
        int asked = 0;
        Matcher asking = ASKING.matcher(sql);
        while (asking.find()) {
            asked |= asking.group(1) != null ? ROW_ID : asking.group(2) != null ? CHANGES : TOTAL;
        }
        if (INSERTING.matcher(sql).find()) {
            asked |= INSERTS;
        }
        if (KNOWN.size() >= CACHE_LIMIT) {
            KNOWN.clear();
        }
        KNOWN.put(sql, asked);
        return asked;
    }
}

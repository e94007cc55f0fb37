package io.github.sqlitepool.pool.config;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The pragmas that may be set through {@code sqlite.pool.pragmas.extra}, each with the values
 * SQLite accepts for it. SQLite ignores a value it does not understand for most of them (so
 * {@code trusted_schema=maybe} would silently keep the default); checking here turns that into a
 * startup failure that names the property.
 */
final class ExtraPragmas {

    private static final Pattern INTEGER = Pattern.compile("-?[0-9]{1,19}");

    private static final Set<String> BOOLEAN_WORDS = Set.of("0", "1", "on", "off", "true", "false", "yes", "no");

    /** A value rule and how to describe it in an error message. */
    private record Rule(Predicate<String> accepts, String expected) {
    }

    private static final Rule BOOLEAN = new Rule(BOOLEAN_WORDS::contains, "a boolean (on, off, true, false, yes, no, 1, 0)");

    private static final Rule NON_NEGATIVE = new Rule(ExtraPragmas::nonNegativeInteger, "an integer of 0 or more");

    private static final Map<String, Rule> RULES = new TreeMap<>(Map.ofEntries(
            Map.entry("analysis_limit", NON_NEGATIVE),
            Map.entry("auto_vacuum", new Rule(Set.of("0", "1", "2", "none", "full", "incremental")::contains,
                    "none, full, incremental (or 0, 1, 2)")),
            Map.entry("automatic_index", BOOLEAN),
            Map.entry("cache_spill", new Rule(v -> BOOLEAN_WORDS.contains(v) || nonNegativeInteger(v),
                    "a boolean or a number of pages")),
            Map.entry("cell_size_check", BOOLEAN),
            Map.entry("checkpoint_fullfsync", BOOLEAN),
            Map.entry("fullfsync", BOOLEAN),
            Map.entry("hard_heap_limit", NON_NEGATIVE),
            Map.entry("ignore_check_constraints", BOOLEAN),
            Map.entry("legacy_alter_table", BOOLEAN),
            Map.entry("locking_mode", new Rule("normal"::equals,
                    "normal: a pool cannot share a database that one of its connections locks exclusively"
                            + " (exclusive would make every other connection fail with SQLITE_BUSY)")),
            Map.entry("max_page_count", new Rule(v -> nonNegativeInteger(v) && Long.parseLong(v) > 0,
                    "a number of pages of 1 or more")),
            Map.entry("page_size", new Rule(ExtraPragmas::pageSize, "a power of two from 512 to 65536")),
            Map.entry("read_uncommitted", BOOLEAN),
            Map.entry("recursive_triggers", BOOLEAN),
            Map.entry("reverse_unordered_selects", BOOLEAN),
            Map.entry("secure_delete", new Rule(v -> BOOLEAN_WORDS.contains(v) || v.equals("fast"),
                    "a boolean or fast")),
            Map.entry("soft_heap_limit", NON_NEGATIVE),
            Map.entry("threads", NON_NEGATIVE),
            Map.entry("trusted_schema", BOOLEAN)));

    /**
     * Pragmas a user may look for here that cannot hold on every connection at every moment, with
     * why and what to do instead.
     */
    private static final Map<String, String> REFUSED = Map.of(
            "defer_foreign_keys", "SQLite turns it off at the end of every transaction, so it would hold for the first"
                    + " transaction of each connection only; run PRAGMA defer_foreign_keys=ON inside each transaction that"
                    + " needs it, or declare the foreign key DEFERRABLE INITIALLY DEFERRED");

    /**
     * Pragmas that take effect only while the database file is being created, in the order they
     * must run: before {@code journal_mode=WAL} writes the first page, and {@code page_size} before
     * {@code auto_vacuum}, which writes it too. On an existing database they keep the value the
     * file has (until a {@code VACUUM} outside WAL mode).
     */
    static final List<String> FILE_FORMAT = List.of("page_size", "auto_vacuum");

    private ExtraPragmas() {
    }

    /** Why {@code name} cannot be set here, for a pragma a user may look for; null for any other name. */
    static String whyRefused(String name) {
        return REFUSED.get(name);
    }

    /** The allowed names. */
    static Set<String> names() {
        return RULES.keySet();
    }

    /**
     * What is wrong with {@code value} for the allowed pragma {@code name}, or null when SQLite
     * accepts it.
     */
    static String problem(String name, String value) {
        Rule rule = RULES.get(name);
        return rule.accepts().test(value.toLowerCase(Locale.ROOT)) ? null : "must be " + rule.expected();
    }

    private static boolean nonNegativeInteger(String value) {
        return INTEGER.matcher(value).matches() && !value.startsWith("-");
    }

    private static boolean pageSize(String value) {
        if (!nonNegativeInteger(value) || value.length() > 5) {
            return false;
        }
        int size = Integer.parseInt(value);
        return size >= 512 && size <= 65536 && Integer.bitCount(size) == 1;
    }
}

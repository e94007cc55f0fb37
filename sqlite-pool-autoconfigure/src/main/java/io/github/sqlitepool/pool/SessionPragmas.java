package io.github.sqlitepool.pool;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import io.github.sqlitepool.pool.config.Pragma;
import io.github.sqlitepool.pool.config.PragmaSettings;

/**
 * Connection-level PRAGMAs outside the pool's configuration that SQL of a lease may change, with
 * the values every connection of the pool opens with: put back, with the configured ones, when a
 * lease that may have run a PRAGMA ends, so that the next lease on the connection does not inherit
 * them ({@code PRAGMA query_only = 1} would fail its writes; {@code locking_mode = EXCLUSIVE} would
 * shut out the other connections). Only values that change what SQL does, or what other
 * connections can do, are kept; process-wide ones ({@code soft_heap_limit}) are not the
 * connection's.
 */
final class SessionPragmas {

    private static final List<String> NAMES = List.of("analysis_limit", "automatic_index", "cell_size_check",
            "defer_foreign_keys", "ignore_check_constraints", "journal_size_limit", "legacy_alter_table",
            "locking_mode", "mmap_size", "query_only", "read_uncommitted", "recursive_triggers",
            "reverse_unordered_selects", "threads", "trusted_schema", "wal_autocheckpoint");

    /** What a new connection answers for {@link #NAMES} that the configuration does not set; empty until read. */
    private volatile List<Pragma> opened = List.of();

    /**
     * Reads, on {@code raw}, a connection just opened and configured with {@code configured}, the
     * values of the session PRAGMAs the configuration leaves alone.
     */
    void readFrom(Connection raw, PragmaSettings configured) throws SQLException {
        Set<String> configuredNames = configured.pragmas().stream().map(Pragma::name).collect(Collectors.toSet());
        List<Pragma> values = new ArrayList<>();
        try (Statement statement = raw.createStatement()) {
            for (String name : NAMES) {
                if (configuredNames.contains(name)) {
                    continue;
                }
                try (ResultSet value = statement.executeQuery("PRAGMA " + name)) {
                    String text = value.next() ? value.getString(1) : null;
                    if (text != null && Pragma.isPlainValue(text)) {
                        values.add(new Pragma(name, text));
                    }
                }
            }
        }
        opened = List.copyOf(values);
    }

    /** Puts the values read by {@link #readFrom} back on {@code raw}. */
    void restore(Connection raw) throws SQLException {
        List<Pragma> values = opened;
        if (values.isEmpty()) {
            return;
        }
        try (Statement statement = raw.createStatement()) {
            for (Pragma pragma : values) {
                statement.execute(pragma.sql());
            }
        }
    }
}

package io.github.sqlitepool.pool.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The PRAGMAs applied to every connection the pool opens, typed and validated.
 *
 * <p>Defaults are the original tool's four ({@code journal_mode=WAL}, {@code synchronous=NORMAL},
 * {@code cache_size=10000}, {@code temp_store=MEMORY}) plus {@code busy_timeout=5s}, so that
 * writers from other processes wait instead of failing, and {@code foreign_keys=ON}, which
 * SQLite leaves off for backwards compatibility.
 *
 * <p>They are applied one statement at a time in a fixed order: {@code busy_timeout} first
 * (so the switch to WAL waits for other processes' locks), then the extra {@code page_size} and
 * {@code auto_vacuum}, which take effect only while the database file is created and must come
 * before WAL writes its first page, then {@code journal_mode}, {@code synchronous},
 * {@code cache_size}, {@code temp_store}, {@code foreign_keys}, {@code mmap_size},
 * {@code journal_size_limit}, {@code wal_autocheckpoint}, and last the other extra pragmas in
 * name order.
 */
public final class PragmaSettings {

    /** {@code journal_mode} unless configured otherwise: readers run beside the writer. */
    public static final JournalMode DEFAULT_JOURNAL_MODE = JournalMode.WAL;

    /** {@code synchronous} unless configured otherwise: in WAL mode no commit is lost on a process crash. */
    public static final Synchronous DEFAULT_SYNCHRONOUS = Synchronous.NORMAL;

    /** {@code cache_size} unless configured otherwise, in pages. */
    public static final int DEFAULT_CACHE_SIZE = 10_000;

    /** {@code temp_store} unless configured otherwise. */
    public static final TempStore DEFAULT_TEMP_STORE = TempStore.MEMORY;

    /** {@code busy_timeout} unless configured otherwise: writers of other processes are waited for. */
    public static final Duration DEFAULT_BUSY_TIMEOUT = Duration.ofSeconds(5);

    /** Whether {@code foreign_keys} is on unless configured otherwise (SQLite itself leaves it off). */
    public static final boolean DEFAULT_FOREIGN_KEYS = true;

    static final String PREFIX = "sqlite.pool.pragmas.";

    /**
     * Pragmas that may be set through {@code extra}: connection-level settings whose value is a
     * number, a boolean or a single keyword, each value checked against what SQLite accepts for
     * it ({@link ExtraPragmas}). Pragmas with a typed setting of their own, and
     * {@code query_only} (the pool manages it for read-only leases), are not in this list.
     */
    static final Set<String> EXTRA_ALLOWED = ExtraPragmas.names();

    private static final Map<String, String> TYPED = Map.of(
            "journal_mode", "journal-mode", "synchronous", "synchronous", "cache_size", "cache-size",
            "temp_store", "temp-store", "busy_timeout", "busy-timeout", "foreign_keys", "foreign-keys",
            "mmap_size", "mmap-size", "journal_size_limit", "journal-size-limit",
            "wal_autocheckpoint", "wal-autocheckpoint");

    private final JournalMode journalMode;
    private final Synchronous synchronous;
    private final int cacheSize;
    private final TempStore tempStore;
    private final Duration busyTimeout;
    private final boolean foreignKeys;
    private final Long mmapSize;
    private final Long journalSizeLimit;
    private final Integer walAutocheckpoint;
    private final Map<String, String> extra;

    private PragmaSettings(Builder b) {
        this.journalMode = require(b.journalMode, "journal-mode");
        this.synchronous = require(b.synchronous, "synchronous");
        this.cacheSize = b.cacheSize;
        this.tempStore = require(b.tempStore, "temp-store");
        this.busyTimeout = Durations.zeroOrMillis(require(b.busyTimeout, "busy-timeout"), PREFIX + "busy-timeout",
                "0 fails at once on another process's lock");
        this.foreignKeys = b.foreignKeys;
        this.mmapSize = nonNegative(b.mmapSize, "mmap-size");
        if (b.journalSizeLimit != null && b.journalSizeLimit < -1) {
            throw new PoolConfigurationException(PREFIX + "journal-size-limit", b.journalSizeLimit,
                    "must be -1 (no limit) or a number of bytes");
        }
        this.journalSizeLimit = b.journalSizeLimit;
        this.walAutocheckpoint = b.walAutocheckpoint == null ? null
                : Math.toIntExact(nonNegative(b.walAutocheckpoint.longValue(), "wal-autocheckpoint"));
        this.extra = Collections.unmodifiableMap(validateExtra(b.extra));
    }

    /** The defaults described in the class comment. */
    public static PragmaSettings defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The statements in the order they are applied. */
    public List<Pragma> pragmas() {
        List<Pragma> list = new ArrayList<>();
        list.add(new Pragma("busy_timeout", Long.toString(busyTimeout.toMillis())));
        for (String name : ExtraPragmas.FILE_FORMAT) {
            if (extra.containsKey(name)) {
                list.add(new Pragma(name, extra.get(name)));
            }
        }
        list.add(new Pragma("journal_mode", journalMode.name()));
        list.add(new Pragma("synchronous", synchronous.name()));
        list.add(new Pragma("cache_size", Integer.toString(cacheSize)));
        list.add(new Pragma("temp_store", tempStore.name()));
        list.add(new Pragma("foreign_keys", foreignKeys ? "ON" : "OFF"));
        if (mmapSize != null) {
            list.add(new Pragma("mmap_size", mmapSize.toString()));
        }
        if (journalSizeLimit != null) {
            list.add(new Pragma("journal_size_limit", journalSizeLimit.toString()));
        }
        if (walAutocheckpoint != null) {
            list.add(new Pragma("wal_autocheckpoint", walAutocheckpoint.toString()));
        }
        extra.forEach((name, value) -> {
            if (!ExtraPragmas.FILE_FORMAT.contains(name)) {
                list.add(new Pragma(name, value));
            }
        });
        return list;
    }

    public JournalMode journalMode() {
        return journalMode;
    }

    public Synchronous synchronous() {
        return synchronous;
    }

    public int cacheSize() {
        return cacheSize;
    }

    public TempStore tempStore() {
        return tempStore;
    }

    public Duration busyTimeout() {
        return busyTimeout;
    }

    public boolean foreignKeys() {
        return foreignKeys;
    }

    /** {@code mmap_size} in bytes, or {@code null} to keep SQLite's default. */
    public Long mmapSize() {
        return mmapSize;
    }

    /** {@code journal_size_limit} in bytes, or {@code null} to keep SQLite's default. */
    public Long journalSizeLimit() {
        return journalSizeLimit;
    }

    /** {@code wal_autocheckpoint} in pages, or {@code null} to keep SQLite's default (1000). */
    public Integer walAutocheckpoint() {
        return walAutocheckpoint;
    }

    /** The extra pragmas by their SQLite name, after validation. */
    public Map<String, String> extra() {
        return extra;
    }

    private static <T> T require(T value, String property) {
        if (value == null) {
            throw new PoolConfigurationException(PREFIX + property, null, "must be set");
        }
        return value;
    }

    private static Long nonNegative(Long value, String property) {
        if (value != null && value < 0) {
            throw new PoolConfigurationException(PREFIX + property, value, "must not be negative");
        }
        return value;
    }

    private static Map<String, String> validateExtra(Map<String, String> given) {
        Map<String, String> checked = new TreeMap<>();
        if (given == null) {
            return checked;
        }
        for (Map.Entry<String, String> entry : given.entrySet()) {
            String key = entry.getKey();
            String property = PREFIX + "extra." + key;
            String name = key == null ? "" : key.trim().toLowerCase(Locale.ROOT).replace('-', '_');
            String refused = ExtraPragmas.whyRefused(name);
            if (refused != null) {
                throw new PoolConfigurationException(property, entry.getValue(), "is not allowed: " + refused);
            }
            if (TYPED.containsKey(name)) {
                throw new PoolConfigurationException(property, entry.getValue(),
                        "is not allowed: set " + PREFIX + TYPED.get(name) + " instead");
            }
            if (!EXTRA_ALLOWED.contains(name)) {
                throw new PoolConfigurationException(property, entry.getValue(),
                        "names a pragma that is not allowed (allowed: "
                                + String.join(", ", new TreeSet<>(EXTRA_ALLOWED)) + ")");
            }
            String value = entry.getValue() == null ? "" : entry.getValue().trim();
            if (!Pragma.isPlainValue(value)) {
                throw new PoolConfigurationException(property, entry.getValue(),
                        "must be a plain integer, boolean or single keyword");
            }
            String problem = ExtraPragmas.problem(name, value);
            if (problem != null) {
                throw new PoolConfigurationException(property, entry.getValue(), problem);
            }
            if (checked.put(name, value) != null) {
                throw new PoolConfigurationException(property, entry.getValue(),
                        "sets pragma " + name + " a second time");
            }
        }
        return checked;
    }

    @Override
    public String toString() {
        return pragmas().toString();
    }

    /** Builds {@link PragmaSettings}; every field starts at its default. */
    public static final class Builder {
        private JournalMode journalMode = DEFAULT_JOURNAL_MODE;
        private Synchronous synchronous = DEFAULT_SYNCHRONOUS;
        private int cacheSize = DEFAULT_CACHE_SIZE;
        private TempStore tempStore = DEFAULT_TEMP_STORE;
        private Duration busyTimeout = DEFAULT_BUSY_TIMEOUT;
        private boolean foreignKeys = DEFAULT_FOREIGN_KEYS;
        private Long mmapSize;
        private Long journalSizeLimit;
        private Integer walAutocheckpoint;
        private Map<String, String> extra = Map.of();

        private Builder() {
        }

        public Builder journalMode(JournalMode journalMode) {
            this.journalMode = journalMode;
            return this;
        }

        public Builder synchronous(Synchronous synchronous) {
            this.synchronous = synchronous;
            return this;
        }

        /** Pages when positive; when negative, the cache size in KiB, as in SQLite. */
        public Builder cacheSize(int cacheSize) {
            this.cacheSize = cacheSize;
            return this;
        }

        public Builder tempStore(TempStore tempStore) {
            this.tempStore = tempStore;
            return this;
        }

        public Builder busyTimeout(Duration busyTimeout) {
            this.busyTimeout = busyTimeout;
            return this;
        }

        public Builder foreignKeys(boolean foreignKeys) {
            this.foreignKeys = foreignKeys;
            return this;
        }

        public Builder mmapSize(Long mmapSize) {
            this.mmapSize = mmapSize;
            return this;
        }

        public Builder journalSizeLimit(Long journalSizeLimit) {
            this.journalSizeLimit = journalSizeLimit;
            return this;
        }

        public Builder walAutocheckpoint(Integer walAutocheckpoint) {
            this.walAutocheckpoint = walAutocheckpoint;
            return this;
        }

        /** Further pragmas by name; only names in the allow-list and plain values are accepted. */
        public Builder extra(Map<String, String> extra) {
            this.extra = extra;
            return this;
        }

        /**
         * @throws PoolConfigurationException naming the property when a value is not usable
         */
        public PragmaSettings build() {
            return new PragmaSettings(this);
        }
    }
}

package io.github.sqlitepool.pool.config;

import java.time.Duration;

/**
 * Group commit ({@code sqlite.pool.write-lane.group-commit.*}): write transactions waiting for the
 * write lane run inside one SQLite transaction, each in a savepoint of its own, and are committed
 * by one {@code COMMIT} (docs/write-lane.md, "Group commit"). Validated on construction, naming
 * the property and the value.
 *
 * @param enabled       whether transactions waiting for the write lane may be committed together
 * @param maxMembers    the most members in one group (transactions and grouped auto-commit writes), the one that opened it included
 * @param maxAge        how long after it opened a group still takes members
 * @param minCommitTime how long a {@code COMMIT} must take (a moving average of the recent ones)
 *                      for groups to form: below it, waking the members costs more than the
 *                      commits saved; zero forms groups whenever transactions wait
 * @param autoCommitWrites whether auto-commit writes ({@code INSERT}, {@code UPDATE},
 *                      {@code DELETE}, {@code REPLACE} outside a transaction) are grouped too; on
 *                      their lease, {@code last_insert_rowid()} and {@code changes()} answer for
 *                      its own writes, {@code total_changes()} is refused (docs/write-lane.md,
 *                      "Auto-commit writes")
 */
public record GroupCommitSettings(boolean enabled, int maxMembers, Duration maxAge, Duration minCommitTime,
        boolean autoCommitWrites) {

    /** The most members a group may be configured to take. */
    public static final int MAX_MEMBERS_LIMIT = 10_000;

    /**
     * The defaults: off, at most 32 members, members taken for at most 10 ms, groups only while
     * commits take 100 µs or more (with {@code synchronous=FULL} an fsync; with {@code NORMAL} a
     * commit takes tens of microseconds, and grouping them was measured slower:
     * docs/benchmarks/group-commit.md).
     */
    public static final GroupCommitSettings DEFAULTS = new GroupCommitSettings(false, 32, Duration.ofMillis(10),
            Duration.ofNanos(100_000), false);

    /**
     * @throws PoolConfigurationException naming the property when a value is not usable
     */
    public GroupCommitSettings {
        if (maxMembers < 2 || maxMembers > MAX_MEMBERS_LIMIT) {
            throw new PoolConfigurationException("sqlite.pool.write-lane.group-commit.max-members", maxMembers,
                    maxMembers < 2 ? "must be at least 2 (a group of one is no group)"
                            : "must be at most " + MAX_MEMBERS_LIMIT);
        }
        if (maxAge == null || maxAge.isZero() || maxAge.isNegative()) {
            throw new PoolConfigurationException("sqlite.pool.write-lane.group-commit.max-age", maxAge,
                    "must be greater than 0");
        }
        if (maxAge.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new PoolConfigurationException("sqlite.pool.write-lane.group-commit.max-age", maxAge,
                    "must be at most 1s: every member's caller waits for the group to commit");
        }
        if (minCommitTime == null || minCommitTime.isNegative() || minCommitTime.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new PoolConfigurationException("sqlite.pool.write-lane.group-commit.min-commit-time", minCommitTime,
                    "must be between 0 (groups whenever transactions wait) and 1s");
        }
    }

    /** Settings that group JDBC transactions only, not auto-commit writes. */
    public GroupCommitSettings(boolean enabled, int maxMembers, Duration maxAge, Duration minCommitTime) {
        this(enabled, maxMembers, maxAge, minCommitTime, false);
    }

    /** These settings with group commit turned on or off. */
    public GroupCommitSettings withEnabled(boolean on) {
        return new GroupCommitSettings(on, maxMembers, maxAge, minCommitTime, autoCommitWrites);
    }

    /** These settings with groups forming while commits take at least {@code time}. */
    public GroupCommitSettings withMinCommitTime(Duration time) {
        return new GroupCommitSettings(enabled, maxMembers, maxAge, time, autoCommitWrites);
    }

    /** These settings with auto-commit writes grouped, or not. */
    public GroupCommitSettings withAutoCommitWrites(boolean grouped) {
        return new GroupCommitSettings(enabled, maxMembers, maxAge, minCommitTime, grouped);
    }
}

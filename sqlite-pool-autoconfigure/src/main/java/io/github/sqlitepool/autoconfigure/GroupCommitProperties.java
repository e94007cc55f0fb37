package io.github.sqlitepool.autoconfigure;

import java.time.Duration;

import io.github.sqlitepool.pool.config.GroupCommitSettings;

/**
 * Group commit: JDBC transactions that wait for the write lane at their begin run, one
 * after another, in the SQLite transaction of the one that holds it, and one COMMIT
 * commits them all (docs/write-lane.md, "Group commit").
 */
public class GroupCommitProperties {

    /**
     * Whether JDBC transactions that wait for the write lane at their begin are grouped:
     * each runs in its own savepoint, inside the lane holder's SQLite transaction, and
     * keeps its own outcome (an error or rollback undoes only its savepoint); one COMMIT
     * commits the group, and a failed COMMIT fails every member. Auto-commit writes are
     * grouped only with auto-commit-writes. Needs the write lane. See docs/write-lane.md,
     * "Group commit".
     */
    private boolean enabled = GroupCommitSettings.DEFAULTS.enabled();

    /**
     * The most members in one group (transactions, and auto-commit writes when they are grouped),
     * the one that opened it included (2 to 10000).
     */
    private int maxMembers = GroupCommitSettings.DEFAULTS.maxMembers();

    /**
     * How long after it opened a group still takes waiting transactions (greater than 0, at
     * most 1s): every member's commit waits for the group's COMMIT.
     */
    private Duration maxAge = GroupCommitSettings.DEFAULTS.maxAge();

    /**
     * How long a COMMIT must take (a moving average of the recent ones) for groups to form:
     * below it, waking the waiting members costs more than the commits saved (with
     * synchronous=NORMAL a commit takes tens of microseconds; with FULL, an fsync). 0 forms
     * groups whenever transactions wait. At most 1s.
     */
    private Duration minCommitTime = GroupCommitSettings.DEFAULTS.minCommitTime();

    /**
     * Whether auto-commit writes (a single INSERT, UPDATE, DELETE or REPLACE outside a
     * transaction, as JdbcTemplate.update runs without @Transactional) are grouped too. A
     * grouped write runs on the group's connection: its update count and generated keys are
     * kept for the caller, and last_insert_rowid() and changes() on the same connection answer
     * for its own writes (set there before SQL asks); total_changes() is refused (SQLState
     * 25000). See docs/write-lane.md, "Auto-commit writes".
     */
    private boolean autoCommitWrites = GroupCommitSettings.DEFAULTS.autoCommitWrites();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public int getMaxMembers() {
        return maxMembers;
    }

    public void setMaxMembers(int maxMembers) {
        this.maxMembers = maxMembers;
    }

    public Duration getMaxAge() {
        return maxAge;
    }

    public void setMaxAge(Duration maxAge) {
        this.maxAge = maxAge;
    }

    public Duration getMinCommitTime() {
        return minCommitTime;
    }

    public void setMinCommitTime(Duration minCommitTime) {
        this.minCommitTime = minCommitTime;
    }

    public boolean isAutoCommitWrites() {
        return autoCommitWrites;
    }

    public void setAutoCommitWrites(boolean autoCommitWrites) {
        this.autoCommitWrites = autoCommitWrites;
    }

    /**
     * @throws io.github.sqlitepool.pool.config.PoolConfigurationException naming the property of a bad value
     */
    GroupCommitSettings toSettings() {
        return new GroupCommitSettings(enabled, maxMembers, maxAge, minCommitTime, autoCommitWrites);
    }
}

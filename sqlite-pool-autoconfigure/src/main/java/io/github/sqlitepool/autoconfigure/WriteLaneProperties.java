package io.github.sqlitepool.autoconfigure;

import io.github.sqlitepool.pool.config.SqlitePoolConfig;

import org.springframework.boot.context.properties.NestedConfigurationProperty;

/** The single-writer lane: writes queue in Java, none passed over for more than a few milliseconds. */
public class WriteLaneProperties {

    /**
     * Whether writes from the pool's connections are serialised in Java through one write
     * lane (waiters passed over for at most 5 ms, then served in arrival order), taken by a
     * transaction firmly from its first write (and revocably from its begin), so that they never
     * meet each other in SQLite's busy handler; two reserve connections are then opened beside
     * the pool's. Turn off only for comparison or unusual setups.
     */
    private boolean enabled = SqlitePoolConfig.DEFAULT_WRITE_LANE_ENABLED;

    /**
     * Group commit of write transactions waiting for the lane.
     */
    @NestedConfigurationProperty
    private final GroupCommitProperties groupCommit = new GroupCommitProperties();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public GroupCommitProperties getGroupCommit() {
        return groupCommit;
    }
}

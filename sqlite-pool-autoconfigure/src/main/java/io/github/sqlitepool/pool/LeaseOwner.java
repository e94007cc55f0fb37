package io.github.sqlitepool.pool;

/** What a {@link ConnectionLease} hands itself back to when it is closed. */
interface LeaseOwner {

    /** Takes back the lease's connection: resets and keeps it, or closes it. Called once per lease. */
    void release(ConnectionLease lease);

    /** The name used in messages. */
    String name();
}
